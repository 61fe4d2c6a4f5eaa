"""Lessons in the window (issue 26): the player (player.py) with its bar (bar.py) and
question (ask.py), the presenter view (presenter.py, thumbnail.py), authoring
(authoring.py), the Lessons menu (menu.py) and the command line (cli.py). The lesson files
themselves are ``descentlab.engine.files.lesson``.
"""
