"""The menu bar: File, Presets, View and Help, wired to the main window's actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from .clips.dialog import open_record_dialog
from .export.dialog import ask_and_export_data, ask_and_export_figure
from .fair_race import open_lr_sweep, tune_the_race
from .own_data import ask_and_open_csv
from .panels.view3d import install_action as install_3d_action
from .support.presets import list_presets

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
    and ``epochs_action``."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction("&Open scene…", QKeySequence.StandardKey.Open, window.open_scene)
    file_menu.addAction("&Save scene…", QKeySequence.StandardKey.Save, window.save_scene)
    file_menu.addAction("Open &CSV…", lambda: ask_and_open_csv(window, window.controller))
    file_menu.addAction("&Record clip…", lambda: open_record_dialog(window))
    file_menu.addSeparator()
    file_menu.addAction("Export &figure… (PNG, SVG)", lambda: ask_and_export_figure(window))
    file_menu.addAction("Export &data… (CSV)", lambda: ask_and_export_data(window))
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
    window.legend_action = QAction("&Legend on the map", window, checkable=True,
                                   shortcut=QKeySequence(Qt.Key.Key_L))
    window.legend_action.toggled.connect(window.panels.map.show_legend)
    view.addAction(window.legend_action)
    window.blank_action = QAction("&Blank the map", window, checkable=True)
    window.blank_action.setShortcut(QKeySequence(Qt.Key.Key_Period))  # B is the basin map
    window.blank_action.toggled.connect(window.panels.map.set_blank)
    view.addAction(window.blank_action)
    explain = window.controller.explain
    window.explain_action = QAction("&Explain the step", window, checkable=True,
                                    shortcut=QKeySequence(Qt.Key.Key_E))
    window.explain_action.toggled.connect(explain.set_on)
    window.step_by_step_action = QAction("&Step by step (→ walks the rule)", window,
                                         checkable=True, shortcut=QKeySequence(Qt.Key.Key_S))
    window.step_by_step_action.toggled.connect(explain.set_step_by_step)

    def follow():  # the state changes from elsewhere too (Space leaves the walk)
        for action, on in ((window.explain_action, explain.on),
                           (window.step_by_step_action, explain.step_by_step)):
            if action.isChecked() != on:
                action.blockSignals(True)
                action.setChecked(on)
                action.blockSignals(False)

    explain.changed.connect(follow)
    view.addAction(window.explain_action)
    view.addAction(window.step_by_step_action)
    window.epochs_action = QAction("Loss against &epochs (datasets)", window, checkable=True)
    window.epochs_action.toggled.connect(window.set_loss_per_epoch)
    view.addAction(window.epochs_action)
    window.basins_action = QAction("&Basins of attraction", window, checkable=True,
                                   shortcut=QKeySequence(Qt.Key.Key_B))
    window.basins_action.setToolTip("colour every start by the minimum the selected run's "
                                    "optimizer reaches from there")
    window.basins_action.toggled.connect(lambda on: window.panels.map.basins.set_on(on))
    view.addAction(window.basins_action)
    install_3d_action(window, view)  # 3: the 3-D view (disabled, saying why, without OpenGL)
    race = bar.addMenu("&Race")
    race.addAction("&Learning-rate sweep…", lambda: open_lr_sweep(window))
    race.addAction("&Tune the race (best lr per run)", lambda: tune_the_race(window))
    help_menu = bar.addMenu("&Help")
    help_menu.addAction("&Keyboard and mouse",
                        lambda: QMessageBox.information(window, "Keyboard and mouse", HELP))
