"""The Formula page: f(x, y) typed as text, its domain and the start.

The text is parsed on every keystroke by the engine (``engine.FormulaSurface``, which walks
an allow-list of the expression's syntax tree: nothing typed is ever evaluated by Python).
An error shows under the field with a caret at the offending character; as soon as the
text parses, the map shows the new surface and the runs restart on it.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDoubleSpinBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from engine.scene import DEFAULT_DOMAIN, FormulaConfig

EXAMPLE = "x^2 + 3*y^2"
LIMIT = 1e6  # |domain bound|


def _spin(parent, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(-LIMIT, LIMIT)
    box.setDecimals(3)
    box.setSingleStep(0.5)
    box.setKeyboardTracking(False)  # one rebuild per finished number, not per digit
    box.setToolTip(tip)
    return box


def caret_text(text: str, position: int | None, message: str) -> str:
    """Rich text: the formula, a caret under character ``position`` (0-based), the message."""
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    if position is None or not 0 <= position <= len(text):
        return f"<span style='color:#b00020'>{html.escape(message)}</span>"
    shown, caret = text, " " * position + "^"
    if len(text) > 48:  # keep the caret on screen in a narrow panel
        lo = max(0, min(position - 24, len(text) - 48))
        shown = ("…" if lo else "") + text[lo:lo + 48]
        caret = " " * (position - lo + (1 if lo else 0)) + "^"
    return (f"<pre style='margin:0; font-family:\"{mono}\"'>{html.escape(shown)}\n"
            f"<span style='color:#b00020'>{html.escape(caret)}</span></pre>"
            f"<span style='color:#b00020'>{html.escape(message)}</span>")


class FormulaPage(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(3)
        self.text = QLineEdit(EXAMPLE, self)
        self.text.setPlaceholderText("f(x, y), e.g. x^2 + 3*y^2 or sin(x)*cos(y)")
        self.text.setToolTip("f(x, y): numbers, x, y, pi, e, + − * / ^ (or **), parentheses, "
                             "functions such as sin, cos, exp, log, sqrt, abs, and min(a, b), "
                             "max(a, b)")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.textEdited.connect(self._edited)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setWordWrap(True)
        self.error.hide()
        self.xmin, self.xmax = _spin(self, "x from"), _spin(self, "x to")
        self.ymin, self.ymax = _spin(self, "y from"), _spin(self, "y to")
        for box, value in zip(self.bounds, DEFAULT_DOMAIN, strict=True):
            box.setValue(value)
            box.valueChanged.connect(self._edited)
        self.sx = _spin(self, "where every run starts (or click the map)")
        self.sy = _spin(self, "where every run starts (or click the map)")
        for box in (self.sx, self.sy):
            box.valueChanged.connect(self._start_edited)
        self.centre = QPushButton("centre", self)
        self.centre.setToolTip("start every run at the centre of the domain")
        self.centre.clicked.connect(self._to_centre)
        grid.addWidget(QLabel("f(x, y) =", self), 0, 0)
        grid.addWidget(self.text, 0, 1, 1, 4)
        grid.addWidget(self.error, 1, 0, 1, 5)
        for row, (name, lo, hi) in enumerate((("x", self.xmin, self.xmax),
                                              ("y", self.ymin, self.ymax)), start=2):
            grid.addWidget(QLabel(f"{name} from", self), row, 0)
            grid.addWidget(lo, row, 1)
            grid.addWidget(QLabel("to", self), row, 2)
            grid.addWidget(hi, row, 3, 1, 2)
        grid.addWidget(QLabel("start", self), 4, 0)
        grid.addWidget(self.sx, 4, 1)
        grid.addWidget(self.sy, 4, 2, 1, 2)
        grid.addWidget(self.centre, 4, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    @property
    def bounds(self) -> tuple[QDoubleSpinBox, ...]:
        return self.xmin, self.xmax, self.ymin, self.ymax

    # ------------------------------------------------------------------ reading
    def config(self) -> FormulaConfig:
        """The page's formula; raises ValueError (with ``.position`` for the text)."""
        domain = tuple(b.value() for b in self.bounds)
        for name, lo, hi in (("x", *domain[:2]), ("y", *domain[2:])):
            if not lo < hi:
                raise ValueError(f"the domain's {name} range must run from low to high "
                                 f"(got {lo:g} to {hi:g})")
        cfg = FormulaConfig(self.text.text().strip(), domain)
        if not cfg.text:
            raise ValueError("type a formula f(x, y), e.g. " + EXAMPLE)
        if not self.controller.fields_ready:  # first launch: the formula kernels still compile
            raise ValueError("the formula engine is still being prepared (first launch only); "
                             "type again in a moment")
        try:
            cfg.build()  # parses; raises engine.FormulaError (a ValueError) with .position
        except ImportError:
            raise ValueError("this build of Descent Lab has no typed formulas yet") from None
        return cfg

    def _show_error(self, exc: ValueError | None) -> None:
        if exc is None:
            self.error.hide()
            self.text.setStyleSheet("")
            return
        position = getattr(exc, "position", None)
        if isinstance(position, int):  # the field's text was stripped: shift back
            position += len(self.text.text()) - len(self.text.text().lstrip())
        else:
            position = None
        # engine.FormulaError: .message without "(at column N)" — the caret shows where
        message = getattr(exc, "message", None) if position is not None else None
        self.error.setText(caret_text(self.text.text(), position, message or str(exc)))
        self.error.show()
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
        if c.scene.kind == "formula" and c.view is not None:
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
        for box, value in zip(self.bounds, cfg.domain, strict=True):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self._show_error(None)
        self.start_moved()

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
