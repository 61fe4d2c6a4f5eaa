"""The Lessons menu: the built-in lessons, Open lesson…, Leave lesson, the presenter view,
and authoring (Add this scene as a step, the lesson's steps, Save lesson…)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from descentlab.engine.files.lesson import builtin_lessons

from ..support.i18n import QT_TRANSLATE_NOOP, bind, translate
from .authoring import Authoring
from .player import LessonPlayer


def _entry(menu, text, slot):
    action = menu.addAction("")
    bind(action.setText, text)
    action.triggered.connect(lambda _=False: slot())
    return action


def build_lessons_menu(window) -> LessonPlayer:
    """The Lessons menu in ``window``'s menu bar (after the ones built so far); sets
    ``window.lessons`` (the player) and ``window.authoring``."""
    player = LessonPlayer(window)
    window.lessons = player
    window.authoring = authoring = Authoring(window, player)
    menu = window.menuBar().addMenu("")
    bind(menu.setTitle, QT_TRANSLATE_NOOP("Menus", "&Lessons"))
    window.lessons_menu = menu
    for lesson in builtin_lessons():
        action = menu.addAction("")
        bind(action.setText, lesson.title)
        if lesson.description:
            bind(action.setToolTip, lesson.description)
        action.triggered.connect(lambda _=False, name=lesson.source: player.open_file(name))
    menu.addSeparator()
    _entry(menu, QT_TRANSLATE_NOOP("Menus", "&Open lesson…"), lambda: ask_and_open_lesson(window))
    leave = _entry(menu, QT_TRANSLATE_NOOP("Menus", "L&eave lesson"), player.leave)
    presenter = _entry(menu, QT_TRANSLATE_NOOP("Menus", "&Presenter view"), player.show_presenter)
    menu.addSeparator()
    _entry(menu, QT_TRANSLATE_NOOP("Menus", "&Add this scene as a step…"), authoring.add_scene_as_step)
    _entry(menu, QT_TRANSLATE_NOOP("Menus", "Lesson s&teps…"), authoring.show_editor)
    save = _entry(menu, QT_TRANSLATE_NOOP("Menus", "&Save lesson…"), authoring.ask_and_save)

    def follow():
        leave.setEnabled(player.is_open)
        presenter.setEnabled(player.is_open)
        save.setEnabled(bool(authoring.draft.steps))

    player.changed.connect(follow)
    authoring.changed.connect(follow)
    follow()
    return player


def ask_and_open_lesson(window) -> None:
    path, _ = QFileDialog.getOpenFileName(window, translate("Menus", "Open lesson"), "",
                                          translate("Menus", "Lessons (*.toml)"))
    if path:
        window.lessons.open_file(path)
