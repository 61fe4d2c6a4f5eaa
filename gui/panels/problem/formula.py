"""The Formula page: f(x, y) typed as text, its domain and the start.

The text is parsed on every keystroke by the engine (``engine.FormulaSurface``, which walks
an allow-list of the expression's syntax tree: nothing typed is ever evaluated by Python).
An error shows under the field with a caret at the offending character; as soon as the
text parses, the map shows the new surface and the runs restart on it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from descentlab.engine.formula.config import DEFAULT_DOMAIN, FormulaConfig

from ...support.i18n import QT_TRANSLATE_NOOP, bind, fill, translate

EXAMPLE = "x^2 + 3*y^2"
LIMIT = 1e5  # |domain bound|


def _spin(parent, tip) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(-LIMIT, LIMIT)
    box.setDecimals(3)
    box.setSingleStep(0.5)
    box.setKeyboardTracking(False)  # one rebuild per finished number, not per digit
    bind(box.setToolTip, tip)
    box.setMinimumWidth(64)  # narrower than its widest value: the left column is narrow
    return box


def caret_lines(text: str, position: int) -> str:
    """Plain text: the formula and, under it, a caret at character ``position`` (0-based)."""
    shown, caret = text, " " * position + "^"
    if len(text) > 40:  # keep the caret on screen in a narrow panel
        lo = max(0, min(position - 20, len(text) - 40))
        shown = ("…" if lo else "") + text[lo:lo + 40]
        caret = " " * (position - lo + (1 if lo else 0)) + "^"
    return f"{shown}\n{caret}"


class FormulaPage(QWidget):
    KIND = "formula"  # the problem kind it edits (engine.problems.registry)
    TAB = QT_TRANSLATE_NOOP("FormulaPage", "Formula")
    TIP = QT_TRANSLATE_NOOP("FormulaPage", "a surface f(x, y) you type")

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        # Wrapped labels (the error, the typeset formula) in a box layout, which gives them
        # the height their width needs; the numbers in a grid below.
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        top = QHBoxLayout()
        grid = QGridLayout()
        grid.setVerticalSpacing(3)
        self.text = QLineEdit(EXAMPLE, self)
        bind(self.text.setPlaceholderText, QT_TRANSLATE_NOOP("FormulaPage", "f(x, y), e.g. x^2 + 3*y^2 or "
                                                             "sin(x)*cos(y)"))
        bind(self.text.setToolTip, QT_TRANSLATE_NOOP("FormulaPage", "f(x, y): numbers, x, y, pi, e, + − * / ^ "
                                                     "(or **), parentheses, functions such as sin, cos, exp, log, "
                                                     "sqrt, abs, and min(a, b), max(a, b)"))
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.textEdited.connect(self._edited)
        # An error: the text with a caret under the offending character, then what is wrong
        # (plain text, so a wrapped message always gets the height it needs).
        self.caret = QLabel(self)
        self.caret.setTextFormat(Qt.TextFormat.PlainText)
        self.caret.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.caret.setStyleSheet("color: #b00020")
        self.caret.hide()
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        self.preview = QLabel(self)  # the formula as the map reads it, typeset
        self._still: str | None = None  # the preview before an error said "the map still shows" it
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setWordWrap(True)
        self.xmin = _spin(self, QT_TRANSLATE_NOOP("FormulaPage", "x from"))
        self.xmax = _spin(self, QT_TRANSLATE_NOOP("FormulaPage", "x to"))
        self.ymin = _spin(self, QT_TRANSLATE_NOOP("FormulaPage", "y from"))
        self.ymax = _spin(self, QT_TRANSLATE_NOOP("FormulaPage", "y to"))
        for box, value in zip(self.bounds, DEFAULT_DOMAIN, strict=True):
            box.setValue(value)
            box.valueChanged.connect(self._edited)
        where = QT_TRANSLATE_NOOP("FormulaPage", "where every run starts (or click the map)")
        self.sx, self.sy = _spin(self, where), _spin(self, where)
        for box in (self.sx, self.sy):
            box.valueChanged.connect(self._start_edited)
        self.centre = QPushButton(self)
        bind(self.centre.setText, QT_TRANSLATE_NOOP("FormulaPage", "centre"))
        bind(self.centre.setToolTip, QT_TRANSLATE_NOOP("FormulaPage", "start every run at the centre of the domain"))
        self.centre.clicked.connect(self._to_centre)
        top.addWidget(QLabel("f(x, y) =", self))
        top.addWidget(self.text, 1)
        column.addLayout(top)
        column.addWidget(self.caret)
        column.addWidget(self.error)
        column.addWidget(self.preview)
        column.addLayout(grid)
        for row, (name, lo, hi) in enumerate(((QT_TRANSLATE_NOOP("FormulaPage", "x from"), self.xmin, self.xmax),
                                              (QT_TRANSLATE_NOOP("FormulaPage", "y from"), self.ymin, self.ymax))):
            grid.addWidget(self._label(name), row, 0)
            grid.addWidget(lo, row, 1)
            grid.addWidget(self._label(QT_TRANSLATE_NOOP("FormulaPage", "to")), row, 2)
            grid.addWidget(hi, row, 3, 1, 2)
        grid.addWidget(self._label(QT_TRANSLATE_NOOP("FormulaPage", "start")), 2, 0)
        grid.addWidget(self.sx, 2, 1)
        grid.addWidget(self.sy, 2, 2, 1, 2)
        grid.addWidget(self.centre, 2, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def _label(self, text) -> QLabel:
        label = QLabel(self)
        bind(label.setText, text)
        return label

    def retranslate(self) -> None:
        """The error shown and the preview (with its minima) in the current language."""
        formula_shown = getattr(self.controller, "scene", None) is not None and self.controller.scene.kind == "formula"
        if self.error.isVisible():
            if self._still is not None and formula_shown:
                self._still = self._preview_text()
            self.apply()  # says again what is wrong
        elif formula_shown:
            self.sync()

    @property
    def bounds(self) -> tuple[QDoubleSpinBox, ...]:
        return self.xmin, self.xmax, self.ymin, self.ymax

    # ------------------------------------------------------------------ reading
    def config(self) -> FormulaConfig:
        """The page's formula; raises ValueError (with ``.position`` for the text)."""
        domain = tuple(b.value() for b in self.bounds)
        for name, lo, hi in (("x", *domain[:2]), ("y", *domain[2:])):
            if not lo < hi:
                raise ValueError(fill(translate("FormulaPage", "the domain's %1 range must run from low to high "
                                                "(got %2 to %3)"), name, f"{lo:g}", f"{hi:g}"))
        cfg = FormulaConfig(self.text.text().strip(), domain)
        if not cfg.text:
            raise ValueError(fill(translate("FormulaPage", "type a formula f(x, y), e.g. %1"), EXAMPLE))
        if not self.controller.readiness.config_ready(cfg):  # first launch: the formula kernels still compile
            raise ValueError(translate("FormulaPage", "the formula engine is still being prepared (first launch "
                                       "only); type again in a moment"))
        cfg.build()  # parses; raises engine.FormulaError (a ValueError) with .position
        return cfg

    def _show_error(self, exc: ValueError | None) -> None:
        if exc is None:
            self.error.hide()
            self.caret.hide()
            self.text.setStyleSheet("")
            if self._still is not None:
                self.preview.setText(self._still)
                self._still = None
            return
        position = getattr(exc, "position", None)
        if isinstance(position, int):  # the field's text was stripped: shift back
            position += len(self.text.text()) - len(self.text.text().lstrip())
        else:
            position = None
        # engine.FormulaError: .message without "(at column N)" — the caret shows where
        message = (getattr(exc, "message", None) if position is not None else None) or str(exc)
        # The list of what is allowed goes to the tooltip: under the field, what is wrong.
        short, _, allowed = message.partition("; allowed:")
        if position is not None and 0 <= position <= len(self.text.text()):
            self.caret.setText(caret_lines(self.text.text(), position))
            self.caret.show()
        else:
            self.caret.hide()
        self.error.setText(short)
        allowed_word = translate("FormulaPage", "allowed:")
        self.error.setToolTip(f"{short}\n\n{allowed_word}{allowed}" if allowed else short)
        self.error.show()
        if self.preview.text():
            if self._still is None:
                self._still = self.preview.text()
            self.preview.setText(fill(translate("FormulaPage", "the map still shows %1"), self._still))
        self.text.setStyleSheet("QLineEdit { border: 1px solid #b00020; }" if position is not None
                                else "")

    # ------------------------------------------------------------------ changes
    def apply(self) -> bool:
        """Make the page's formula the problem, if it parses; else show why. True if applied."""
        try:
            cfg = self.config()
        except ValueError as exc:
            self._show_error(exc)
            return False
        try:
            self.controller.set_problem(cfg)
        except ValueError as exc:  # e.g. the start outside what the surface accepts
            self._show_error(exc)
            return False
        self._show_error(None)
        return True

    def _edited(self, *_) -> None:
        self.apply()

    def _start_edited(self, *_) -> None:
        c = self.controller
        if c.scene.kind == "formula" and c.map_frame is not None:
            c.set_start(self.sx.value(), self.sy.value())

    def _to_centre(self) -> None:
        cfg = self.controller.scene.formula
        if cfg is not None:
            self.controller.set_start(*cfg.centre)

    # ------------------------------------------------------------------ showing
    def sync(self) -> None:
        cfg = self.controller.scene.formula
        if cfg is None:
            return
        if self.text.text().strip() != cfg.text:  # never move the cursor while typing
            self.text.setText(cfg.text)
            self.text.setCursorPosition(0)  # a new scene's formula: show its beginning
        if self.controller.map_frame is not None:
            self._still = None
            self.preview.setText(self._preview_text())
        for box, value in zip(self.bounds, cfg.domain, strict=True):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self._show_error(None)
        self.start_moved()

    def _preview_text(self) -> str:
        view = self.controller.map_frame
        return (f"<span style='font-size:115%'>f = {view.formula_html}</span>"
                f"<br><span style='color:#555'>{self._minima_text()}</span>")

    def _minima_text(self) -> str:
        race = self.controller.race
        surface = getattr(race.problem, "surface", None) if race is not None else None
        minima = getattr(surface, "minima", ()) if surface is not None else ()
        best = [m for m in minima if m.is_global][:3]
        if not best:
            return translate("FormulaPage", "no minimum found in the domain")
        where = ", ".join(f"({_tidy(m.x)}, {_tidy(m.y)})" for m in best)
        text = fill(translate("FormulaPage", "lowest in the domain: f = %1 at %2"), _tidy(best[0].f, 4), where)
        if len(minima) > len(best):
            text += fill(translate("FormulaPage", " (and %1 local)"), len(minima) - len(best))
        return text

    def start_moved(self) -> None:
        c = self.controller
        if c.scene.kind != "formula":
            return
        x, y = (float(v) for v in c.start_theta[:2])
        for box, v in ((self.sx, x), (self.sy, y)):
            if math.isfinite(v):
                box.blockSignals(True)
                box.setValue(v)
                box.blockSignals(False)


def _tidy(value: float, digits: int = 3) -> str:
    """A minimum's coordinate for people: 1e-162 is 0 (the search's rounding, not a fact)."""
    return f"{0.0 if abs(value) < 1e-12 else value:.{digits}g}"
