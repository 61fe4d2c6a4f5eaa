"""The menu bar: File, Presets, View, Race and Help, wired to the main window's actions.

The View menu holds the window's own entries, then the panels' (each panel declares its
entries and keys: ``Panel.menu_actions``), in :data:`VIEW_ORDER` (a panel's entry not
named there comes last).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox

from .clips.dialog import open_record_dialog
from .export.dialog import ask_and_export_data, ask_and_export_figure, ask_and_export_notebook, ask_and_export_torch
from .fair_race import open_lr_sweep, tune_the_race
from .lessons.menu import build_lessons_menu
from .own_data import ask_and_open_csv
from .support import i18n
from .support.i18n import QT_TRANSLATE_NOOP, bind, shown, translate
from .support.presets import list_presets

# The panels' View-menu entries by name (their actions' objectName), top to bottom.
VIEW_ORDER = ("legend", "blank", "explain", "step_by_step", "epochs", "count_evaluations", "basins", "curvature",
              "plane", "view3d", "log_height", "data_big")

HELP = QT_TRANSLATE_NOOP("Menus", "Space  play / pause\n→  one step\nR  reset to step 0\nF  fit the surface\n"
        "E  explain the step (arrows, effective learning rate)\n"
        "S  step by step: → walks through the rule line by line\n"
        "H  the curvature a step feels (λ₁, λ₂, κ, Newton's step, 2/λ_max)\n"
        "B  basins of attraction\n"
        "3  the 3-D view (drag: turn, wheel: zoom, double-click: front view)\n"
        "D  the data view in the centre (datasets; again: the map)\n"
        "F11  presentation mode\nPage Down / Page Up  next / previous preset (in a lesson: step)\n"
        ".  blank the map (presenter remotes)\nL  legend on the map (on in presentation mode)\n"
        "\nClick the map: every run starts there.\n"
        "Shift+click: only the selected run.\nDrag the ring to move the start.\n"
        "Wheel: zoom; drag: pan.\n\nDrop a .csv file on the window to fit a model to it.")


def _add(menu, text, slot, shortcut=None) -> QAction:
    """An entry of ``menu`` whose text follows the language."""
    action = menu.addAction("")
    bind(action.setText, text)
    action.triggered.connect(lambda _=False: slot())
    if shortcut is not None:
        action.setShortcut(shortcut)
    return action


def _menu(bar, title):
    menu = bar.addMenu("")
    bind(menu.setTitle, title)
    return menu


def build_menus(window) -> None:
    """Menus for ``window`` (a MainWindow); sets its ``presets``, ``presentation_action``
    and, for each panel's action, ``<name>_action``."""
    bar = window.menuBar()
    file_menu = _menu(bar, QT_TRANSLATE_NOOP("Menus", "&File"))
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "&Open scene…"), window.open_scene, QKeySequence.StandardKey.Open)
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "&Save scene…"), window.save_scene, QKeySequence.StandardKey.Save)
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "Open &CSV…"), lambda: ask_and_open_csv(window, window.controller))
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "&Record clip…"), lambda: open_record_dialog(window))
    file_menu.addSeparator()
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "Export &figure… (PNG, SVG)"), lambda: ask_and_export_figure(window))
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "Export &data… (CSV)"), lambda: ask_and_export_data(window))
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "Export as &PyTorch script…"), lambda: ask_and_export_torch(window))
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "Export as &notebook… (Jupyter)"),
         lambda: ask_and_export_notebook(window))
    file_menu.addSeparator()
    _add(file_menu, QT_TRANSLATE_NOOP("Menus", "&Quit"), window.close, QKeySequence.StandardKey.Quit)
    window.presets_menu = _menu(bar, QT_TRANSLATE_NOOP("Menus", "&Presets"))
    window.presets = list_presets()
    for preset in window.presets:
        act = window.presets_menu.addAction("")
        bind(act.setText, preset.title)
        bind(act.setToolTip, preset.scene.description)
        act.triggered.connect(lambda _=False, p=preset: window.load_preset(p))
    window.presets_menu.addSeparator()
    # Presenter remotes send Page Down / Page Up: the presets in this menu's order.
    _add(window.presets_menu, QT_TRANSLATE_NOOP("Menus", "&Next preset"), lambda: window.step_preset(+1),
         QKeySequence(Qt.Key.Key_PageDown))
    _add(window.presets_menu, QT_TRANSLATE_NOOP("Menus", "&Previous preset"), lambda: window.step_preset(-1),
         QKeySequence(Qt.Key.Key_PageUp))
    build_lessons_menu(window)  # Lessons: the player, the presenter view, authoring (gui/lessons)
    view = _menu(bar, QT_TRANSLATE_NOOP("Menus", "&View"))
    window.presentation_action = QAction(window, checkable=True, shortcut=QKeySequence(Qt.Key.Key_F11))
    bind(window.presentation_action.setText, QT_TRANSLATE_NOOP("Menus", "&Presentation mode"))
    window.presentation_action.toggled.connect(window.set_presentation)
    view.addAction(window.presentation_action)
    _add(view, QT_TRANSLATE_NOOP("Menus", "&Fit the surface"), window.fit_view, QKeySequence("F"))
    declared = [action for panel in window.panels for action in panel.menu_actions()]
    for action in sorted(declared, key=_place_in_view_menu):
        setattr(window, f"{action.objectName()}_action", action)
        view.addAction(action)
    view.addSeparator()
    language = view.addMenu("")
    bind(language.setTitle, QT_TRANSLATE_NOOP("Menus", "&Language"))
    window.language_actions = QActionGroup(window)
    for code, name in i18n.LANGUAGES.items():  # each in its own language: found whatever is shown
        action = language.addAction(name)
        action.setCheckable(True)
        action.setChecked(code == i18n.current())
        action.setData(code)
        window.language_actions.addAction(action)
        action.triggered.connect(lambda _=False, c=code: i18n.set_language(c))
    race = _menu(bar, QT_TRANSLATE_NOOP("Menus", "&Race"))
    _add(race, QT_TRANSLATE_NOOP("Menus", "&Learning-rate sweep…"), lambda: open_lr_sweep(window))
    _add(race, QT_TRANSLATE_NOOP("Menus", "&Tune the race (best lr per run)"), lambda: tune_the_race(window))
    help_menu = _menu(bar, QT_TRANSLATE_NOOP("Menus", "&Help"))
    _add(help_menu, QT_TRANSLATE_NOOP("Menus", "&Keyboard and mouse"),
         lambda: QMessageBox.information(window, translate("Menus", "Keyboard and mouse"), shown(HELP)))


def _place_in_view_menu(action: QAction) -> int:
    name = action.objectName()
    return VIEW_ORDER.index(name) if name in VIEW_ORDER else len(VIEW_ORDER)
