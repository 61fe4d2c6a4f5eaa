"""Plots beside the map: loss curves, the data view, their shared style."""
