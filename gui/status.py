"""The status bar's one line: the race figures, with a notice in front for a few seconds.

One permanent label for everything: the status bar's own temporary messages would be
hidden behind it.
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel

from descentlab import engine

from .support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate

PREPARING = QT_TRANSLATE_NOOP("StatusLine", "preparing the engine (a first launch compiles it: a few seconds)…")


class StatusLine(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._line = PREPARING  # made again in the current language each time it is shown
        self._notice: tuple[str, float] | None = None
        self._show()

    def notify(self, text: str, seconds: float) -> None:
        """Show ``text`` ahead of the step line for ``seconds``."""
        self._notice = (text, time.monotonic() + seconds)
        self._show()

    def clear_notice(self) -> None:
        self._notice = None
        self._show()

    def show_race(self, snap: engine.Snapshot, state: str, steps_per_second: float, fps: float) -> None:
        self._line = fill(translate("StatusLine", "step %1   ·   %2 steps/s   ·   %3 fps   ·   %4"),
                          f"{snap.step:,}", f"{steps_per_second:,.0f}", f"{fps:.0f}", state)
        self._show()

    def _show(self) -> None:
        notice = self._notice
        if notice is not None and time.monotonic() > notice[1]:
            notice = self._notice = None
        line = shown(self._line)
        self.setText(line if notice is None else f"{notice[0]}   ·   {line}")

    def retranslate(self) -> None:
        """The language changed: the waiting line in the new one (the race line is made
        again by the window's next refresh)."""
        self._show()
