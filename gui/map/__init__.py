"""The map: its widget, the planes a problem is drawn on, and its layers."""
