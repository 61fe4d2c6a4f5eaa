"""The menu bar: File, Presets, View, Race and Help, wired to the main window's actions.

The View menu holds the window's own entries, then the panels' (each panel declares its
entries and keys: ``Panel.menu_actions``), in :data:`VIEW_ORDER` (a panel's entry not
named there comes last).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from .clips.dialog import open_record_dialog
from .export.dialog import ask_and_export_data, ask_and_export_figure, ask_and_export_notebook, ask_and_export_torch
from .fair_race import open_lr_sweep, tune_the_race
from .own_data import ask_and_open_csv
from .support.presets import list_presets

# The panels' View-menu entries by name (their actions' objectName), top to bottom.
VIEW_ORDER = ("legend", "blank", "explain", "step_by_step", "epochs", "basins", "view3d", "log_height")

HELP = ("Space  play / pause\n→  one step\nR  reset to step 0\nF  fit the surface\n"
        "E  explain the step (arrows, effective learning rate)\n"
        "S  step by step: → walks through the rule line by line\n"
        "B  basins of attraction\n"
        "3  the 3-D view (drag: turn, wheel: zoom, double-click: front view)\n"
        "F11  presentation mode\nPage Down / Page Up  next / previous preset\n"
        ".  blank the map (presenter remotes)\nL  legend on the map (on in presentation mode)\n"
        "\nClick the map: every run starts there.\n"
        "Shift+click: only the selected run.\nDrag the ring to move the start.\n"
        "Wheel: zoom; drag: pan.\n\nDrop a .csv file on the window to fit a model to it.")


def build_menus(window) -> None:
    """Menus for ``window`` (a MainWindow); sets its ``presets``, ``presentation_action``
    and, for each panel's action, ``<name>_action``."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction("&Open scene…", QKeySequence.StandardKey.Open, window.open_scene)
    file_menu.addAction("&Save scene…", QKeySequence.StandardKey.Save, window.save_scene)
    file_menu.addAction("Open &CSV…", lambda: ask_and_open_csv(window, window.controller))
    file_menu.addAction("&Record clip…", lambda: open_record_dialog(window))
    file_menu.addSeparator()
    file_menu.addAction("Export &figure… (PNG, SVG)", lambda: ask_and_export_figure(window))
    file_menu.addAction("Export &data… (CSV)", lambda: ask_and_export_data(window))
    file_menu.addAction("Export as &PyTorch script…", lambda: ask_and_export_torch(window))
    file_menu.addAction("Export as &notebook… (Jupyter)", lambda: ask_and_export_notebook(window))
    file_menu.addSeparator()
    file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, window.close)
    window.presets_menu = bar.addMenu("&Presets")
    window.presets = list_presets()
    for preset in window.presets:
        act = window.presets_menu.addAction(preset.title)
        act.setToolTip(preset.scene.description)
        act.triggered.connect(lambda _=False, p=preset: window.load_preset(p))
    window.presets_menu.addSeparator()
    # Presenter remotes send Page Down / Page Up: the presets in this menu's order.
    window.presets_menu.addAction("&Next preset", QKeySequence(Qt.Key.Key_PageDown),
                                  lambda: window.step_preset(+1))
    window.presets_menu.addAction("&Previous preset", QKeySequence(Qt.Key.Key_PageUp),
                                  lambda: window.step_preset(-1))
    view = bar.addMenu("&View")
    window.presentation_action = QAction("&Presentation mode", window, checkable=True,
                                         shortcut=QKeySequence(Qt.Key.Key_F11))
    window.presentation_action.toggled.connect(window.set_presentation)
    view.addAction(window.presentation_action)
    view.addAction("&Fit the surface", QKeySequence("F"), window.fit_view)
    declared = [action for panel in window.panels for action in panel.menu_actions()]
    for action in sorted(declared, key=_place_in_view_menu):
        setattr(window, f"{action.objectName()}_action", action)
        view.addAction(action)
    race = bar.addMenu("&Race")
    race.addAction("&Learning-rate sweep…", lambda: open_lr_sweep(window))
    race.addAction("&Tune the race (best lr per run)", lambda: tune_the_race(window))
    help_menu = bar.addMenu("&Help")
    help_menu.addAction("&Keyboard and mouse",
                        lambda: QMessageBox.information(window, "Keyboard and mouse", HELP))


def _place_in_view_menu(action: QAction) -> int:
    name = action.objectName()
    return VIEW_ORDER.index(name) if name in VIEW_ORDER else len(VIEW_ORDER)
