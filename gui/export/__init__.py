"""Exports: figures (PNG, SVG) and data (CSV) from the window or the command line."""
