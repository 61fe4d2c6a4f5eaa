"""Clips: a race recorded as MP4 or GIF, from the window or the command line."""
