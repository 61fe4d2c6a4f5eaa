"""Small shared pieces of the window: log, palette, resources, threads, widgets."""
