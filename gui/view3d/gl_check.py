"""Can this machine draw the 3-D view? Checked once, without creating any GL widget.

Qt's ``offscreen`` platform (tests, ``--snapshot``) cannot create an OpenGL context at
all, a remote desktop may lack GLX, and pyqtgraph.opengl needs PyOpenGL. Creating a
QOpenGLWidget there prints "QOpenGLWidget: Failed to create context" and draws nothing,
so the 3-D action asks here first and is disabled with the reason instead.
"""

from __future__ import annotations

import importlib.util

from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown

_reason: tuple | None = None  # (the marked sentence, its %1 %2 …)
_checked = False


def opengl_problem() -> str | None:
    """None if OpenGL 2.1 or later works here; otherwise one sentence saying why not.

    Needs a QApplication. The answer is cached (the platform cannot change); the sentence
    is in the language shown when asked.
    """
    global _reason, _checked
    if not _checked:
        _reason = _check()
        _checked = True
    return None if _reason is None else fill(shown(_reason[0]), *_reason[1:])


def _check() -> tuple | None:
    if importlib.util.find_spec("OpenGL") is None:
        return (QT_TRANSLATE_NOOP("gl_check", "the 3-D view needs PyOpenGL, which is not installed "
                                  "(pip install PyOpenGL)"),)
    from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

    platform = QGuiApplication.platformName()
    if platform in ("offscreen", "minimal"):
        return QT_TRANSLATE_NOOP("gl_check", "the 3-D view needs OpenGL, which Qt's “%1” platform does not "
                                 "provide"), platform
    surface = QOffscreenSurface()
    surface.create()
    context = QOpenGLContext()
    try:
        if not surface.isValid() or not context.create():
            return QT_TRANSLATE_NOOP("gl_check", "the 3-D view needs OpenGL, and no OpenGL context could be "
                                     "created here (%1)"), platform
        if not context.makeCurrent(surface):
            return (QT_TRANSLATE_NOOP("gl_check", "the 3-D view needs OpenGL, and the OpenGL context could not "
                                      "be used"),)
        version = context.format().version()
        context.doneCurrent()
        if not context.isOpenGLES() and tuple(version) < (2, 1):
            return QT_TRANSLATE_NOOP("gl_check", "the 3-D view needs OpenGL 2.1 or later; this machine offers "
                                     "%1"), f"{version[0]}.{version[1]}"
        return None
    finally:
        surface.destroy()


def _reset_for_tests() -> None:
    global _checked, _reason
    _checked, _reason = False, None
