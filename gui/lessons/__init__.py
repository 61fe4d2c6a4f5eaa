"""Lessons in the window: the player, the presenter view, authoring, the command line (issue 26)."""
