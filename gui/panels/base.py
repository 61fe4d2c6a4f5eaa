"""What the main window asks of every panel. Each hook is optional: the defaults do nothing.

A panel is a widget built as ``Panel(controller, parent)``; it reads what it needs from
the controller (``scene``, ``view``, ``look``, ``race``, ``entries``, ``selected_uid``) when
a hook tells it that something changed, and sends the controller intents (``set_start``,
``set_problem``, ``seek`` …). It never reaches another panel or the window: it declares
its View-menu entries and their keys (:meth:`Panel.menu_actions`), and a panel with
something to tell the user has a ``notice = Signal(str, float)`` (text, seconds) that the
window shows in its status line.
"""

from __future__ import annotations

from descentlab import engine


class Panel:
    initial_height = 100  # pixels in its column before any scene (proportions only)

    def scene_changed(self) -> None:
        """A new problem or scene: everything may have changed."""

    def runs_changed(self) -> None:
        """Runs were added, removed, relabelled, recoloured, shown or hidden."""

    def run_edited(self, uid: int) -> None:
        """A run's hyperparameters changed."""

    def selection_changed(self, snapshot: engine.Snapshot | None) -> None:
        """Another run is selected; ``snapshot`` is the newest one drawn (if any)."""

    def start_changed(self) -> None:
        """The runs' common start moved."""

    def draw(self, snapshot: engine.Snapshot) -> None:
        """Every frame with a new snapshot (≤ 60 Hz): keep it cheap."""

    def refresh_table(self, snapshot: engine.Snapshot) -> None:
        """A few times a second, for what is read rather than watched."""

    def settle(self) -> None:
        """Compute now what would otherwise arrive from a thread (for a still picture)."""

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: large type, wide lines (the application font is set already)."""

    def retranslate(self) -> None:
        """The language changed: make again the texts made when shown (texts set with
        ``gui.support.i18n.bind`` follow by themselves). The window then draws the newest
        snapshot again, so ``draw`` and ``refresh_table`` texts follow too."""

    def save_into(self, scene) -> None:
        """Write what this panel shows (a view region, say) into a scene about to be saved."""

    def shown_for(self, look) -> bool:
        """Whether the panel is shown for a problem shown as ``look`` (gui.problem_looks)."""
        return True

    def share(self, look) -> float:
        """The panel's share of its column's height, for a problem shown as ``look``."""
        return 1.0

    def menu_actions(self) -> list:
        """The panel's entries in the View menu (QActions, each with its key, if any), built
        once when the window builds its menus. An action's ``objectName`` is its name: the
        window keeps it as ``window.<name>_action`` and gui.menus places it by that name."""
        return []

    def threads(self) -> tuple:
        """Threads the panel owns (stopped, then retired, when the window closes)."""
        return ()
