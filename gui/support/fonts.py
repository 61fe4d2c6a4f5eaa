"""The Chinese glyphs on a machine without a CJK font: the app's own subset, as a fallback.

``resources/fonts/DescentLabSC.otf`` (packaging/make_cjk_font.py: Noto Sans CJK SC, SIL
OFL) is registered with Qt and named second in the application font's families on a
machine whose fonts write no simplified Chinese: the system's font draws every glyph it
has, this one the Chinese it lacks. A font made from the
application font (``QFont()``, a scaled copy in presentation mode) keeps the list. Text the
app paints itself — the window, PNG/SVG exports, GIF/MP4 clips — goes through Qt, so it
is covered too. (Qt's ``addApplicationFallbackFontFamily`` would do it per script, but
PySide6 does not offer it.)
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication

from .resources import resources_dir

FONT_FILE = "DescentLabSC.otf"
_installed: list[str] = []


def system_writes_chinese() -> bool:
    """Whether a font of the system's writes simplified Chinese (Qt falls back to it)."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def install_cjk_fallback(force: bool = False) -> str | None:
    """Register the bundled font (once) as the fallback for Chinese where no font of the
    system writes it (or if ``force``); its family, or None if it is not needed, or the file
    is missing or unreadable (then the system's fonts are all there is).

    Only where needed: a family list changes how Qt draws Latin text too (the map's 2×
    PNG export differed from the 1× one by twice as much with it), so a machine that
    writes Chinese already is left as it is."""
    if _installed:
        return _installed[0]
    if not force and system_writes_chinese():
        return None
    path = resources_dir() / "fonts" / FONT_FILE
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
    if font_id < 0:
        return None
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QGuiApplication.font()
    families = [f for f in font.families() or [font.family()] if f != family]
    font.setFamilies([*families, family])
    QGuiApplication.setFont(font)
    _installed.append(family)
    return family
