"""Exports: figures (PNG, SVG), data (CSV) and the race as a PyTorch script, from the window or the command line."""
