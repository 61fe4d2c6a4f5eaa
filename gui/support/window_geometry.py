"""Where the window opens: its last place and size, else about 85 % of the screen, centred.

Kept in QSettings under ``window/geometry``. Only the interactive window remembers
(``gui.app.run_app``): ``--snapshot`` and ``--record`` size their window from ``--size`` and
neither read nor write the saved geometry.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize

GEOMETRY_KEY = "window/geometry"
SCREEN_SHARE = 0.85  # of the screen's available width and height


def fitted_rect(available: QRect, share: float = SCREEN_SHARE, least: QSize | None = None) -> QRect:
    """``share`` of ``available`` on each side (at least ``least``, at most all of it),
    centred in it."""
    width, height = round(available.width() * share), round(available.height() * share)
    if least is not None:
        width = min(max(width, least.width()), available.width())
        height = min(max(height, least.height()), available.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def _on_a_screen(window) -> bool:
    """Whether the restored window's title bar is on some screen (a monitor may have gone)."""
    from PySide6.QtGui import QGuiApplication

    top = window.frameGeometry().topLeft()
    probe = QRect(top.x(), top.y(), max(1, window.width() // 4), 40)
    return any(screen.availableGeometry().intersects(probe) for screen in QGuiApplication.screens())


def restore_geometry(window, settings: QSettings | None = None) -> bool:
    """Put ``window`` where it was when it last closed; True if it was. Else fit it to its
    screen (``fitted_rect``)."""
    settings = settings or QSettings()
    saved = settings.value(GEOMETRY_KEY)
    if saved is not None and window.restoreGeometry(saved) and _on_a_screen(window):
        return True
    screen = window.screen()
    if screen is not None:
        window.setGeometry(fitted_rect(screen.availableGeometry(), least=window.minimumSizeHint()))
    return False


def save_geometry(window, settings: QSettings | None = None) -> None:
    """Remember where ``window`` is; full screen (presentation) is not remembered."""
    if window.isFullScreen():
        return
    settings = settings or QSettings()
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.sync()
