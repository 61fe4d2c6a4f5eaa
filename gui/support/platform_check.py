"""Before Qt starts on Linux/X11: are the system libraries of Qt's xcb plugin there?

Without them Qt prints five lines ending in "Reinstalling the application may fix this
problem" and aborts (exit 134). We check first and say, in one line, which library is
missing and which package brings it.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

# soname → (Debian/Ubuntu package, Fedora package): what libqxcb.so and libQt6XcbQpa load.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
}


def platform_will_be_xcb(environ=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will try its X11 (xcb) plugin first."""
    if not platform.startswith("linux"):
        return False
    wanted = (environ.get("QT_QPA_PLATFORM") or "").split(";")[0].split(":")[0].strip()
    if wanted:
        return wanted == "xcb"
    # Qt 6 prefers Wayland in a Wayland session and falls back to xcb only if that fails.
    return not (environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"))


def _bundled_names() -> set[str]:
    """Library files the frozen app carries in its own folder (PyInstaller collects some)."""
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return set()
    return {path.name for path in Path(base).rglob("*.so*")}


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
        return True
    except OSError:
        return False


def missing_xcb_libraries(loadable=None) -> list[str]:
    loadable = loadable or _loadable
    bundled = _bundled_names()
    return [so for so in XCB_LIBRARIES if not (so in bundled or loadable(so))]


def xcb_problem(loadable=None) -> str | None:
    """One line naming the first missing library and its packages, or None if all load."""
    missing = missing_xcb_libraries(loadable)
    if not missing:
        return None
    debian = sorted({XCB_LIBRARIES[so][0] for so in missing})
    fedora = sorted({XCB_LIBRARIES[so][1] for so in missing})
    from .i18n import fill, translate

    more = fill(translate("PlatformCheck", " (and %1 more)"), len(missing) - 1) if len(missing) > 1 else ""
    return fill(translate("PlatformCheck", "Qt's X11 display plugin needs %1%2, which is not installed: "
                          "%3  (Debian/Ubuntu)  or  %4  (Fedora)"), missing[0], more,
                f"sudo apt install {' '.join(debian)}", f"sudo dnf install {' '.join(fedora)}")
