"""The menu bar: File, Presets, View and Help, wired to the main window's actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from .fair_race import open_lr_sweep, tune_the_race
from .presets import list_presets

HELP = ("Space  play / pause\n→  one step\nR  reset to step 0\nF  fit the surface\n"
        "F11  presentation mode\nB  basins of attraction\n\nClick the map: every run starts there.\n"
        "Shift+click: only the selected run.\nDrag the ring to move the start.\n"
        "Wheel: zoom; drag: pan.")


def build_menus(window) -> None:
    """Menus for ``window`` (a MainWindow); sets its ``presets``, ``presentation_action``
    and ``epochs_action``."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction("&Open scene…", QKeySequence.StandardKey.Open, window.open_scene)
    file_menu.addAction("&Save scene…", QKeySequence.StandardKey.Save, window.save_scene)
    file_menu.addSeparator()
    file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, window.close)
    window.presets_menu = bar.addMenu("&Presets")
    window.presets = list_presets()
    for preset in window.presets:
        act = window.presets_menu.addAction(preset.title)
        act.setToolTip(preset.scene.description)
        act.triggered.connect(lambda _=False, p=preset: window.load_preset(p))
    view = bar.addMenu("&View")
    window.presentation_action = QAction("&Presentation mode", window, checkable=True,
                                         shortcut=QKeySequence(Qt.Key.Key_F11))
    window.presentation_action.toggled.connect(window.set_presentation)
    view.addAction(window.presentation_action)
    view.addAction("&Fit the surface", QKeySequence("F"), window.fit_view)
    window.epochs_action = QAction("Loss against &epochs (datasets)", window, checkable=True)
    window.epochs_action.toggled.connect(window.set_loss_per_epoch)
    view.addAction(window.epochs_action)
    window.basins_action = QAction("&Basins of attraction", window, checkable=True,
                                   shortcut=QKeySequence(Qt.Key.Key_B))
    window.basins_action.setToolTip("colour every start by the minimum the selected run's "
                                    "optimizer reaches from there")
    window.basins_action.toggled.connect(lambda on: window.panels.map.basins.set_on(on))
    view.addAction(window.basins_action)
    race = bar.addMenu("&Race")
    race.addAction("&Learning-rate sweep…", lambda: open_lr_sweep(window))
    race.addAction("&Tune the race (best lr per run)", lambda: tune_the_race(window))
    help_menu = bar.addMenu("&Help")
    help_menu.addAction("&Keyboard and mouse",
                        lambda: QMessageBox.information(window, "Keyboard and mouse", HELP))
