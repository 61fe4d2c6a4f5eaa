"""A lesson step's question, over the bottom of the map: asked before the race plays, the
choices as buttons (the audience votes, the lecturer clicks one), the answer marked when
the race reveals it (→ or Page Down)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate

_BUTTON = "QPushButton { background: %s; color: %s; border: %s; border-radius: 6px; padding: 6px 18px; }"
PLAIN = _BUTTON % ("#f4f6f8", "#111", "2px solid #8a99a8")
CHOSEN = _BUTTON % ("#dde8f5", "#111", "3px solid #1f5fa8")
RIGHT = _BUTTON % ("#d9f2dc", "#0b4d17", "3px solid #1e8a36")
WRONG = _BUTTON % ("#f8dede", "#7a1010", "3px solid #b02a2a")

HINT = QT_TRANSLATE_NOOP("LessonAsk", "→ or Page Down: the race shows the answer")


class AskOverlay(QFrame):
    """The question of the step shown, over the map (a child of it)."""

    chosen = Signal(str)  # a choice was clicked

    def __init__(self, host):
        super().__init__(host)
        self.setObjectName("lessonAsk")
        self.setStyleSheet("#lessonAsk { background: rgba(255, 255, 255, 235); border: 2px solid #556;"
                           " border-radius: 10px; }")
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: #556")
        self.row = QHBoxLayout()
        self.row.setSpacing(14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(self.question)
        layout.addLayout(self.row)
        layout.addWidget(self.hint)
        self.buttons: dict[str, QPushButton] = {}
        self.choices: dict = {}
        self.ask = None
        self.picked: str | None = None
        self.revealed = False
        host.installEventFilter(self)  # follows the map's size
        self.hide()

    # ---------------------------------------------------------------- state
    def set_ask(self, ask) -> None:
        """Show ``ask`` (its question, choices, answer), nothing picked, not revealed; None hides."""
        self.ask = ask
        self.picked = None
        self.revealed = False
        for button in self.buttons.values():
            self.row.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        if ask is None:
            self.hide()
            return
        self.choices = {str(choice): choice for choice in ask.choices}  # (a LocalText by its English)
        for key in self.choices:
            button = QPushButton(self)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the window's keys stay the window's
            button.clicked.connect(lambda _=False, c=key: self.pick(c))
            self.row.addWidget(button)
            self.buttons[key] = button
        self.retranslate()
        self.show()
        self.raise_()
        self._place()

    def pick(self, choice: str) -> None:
        if self.revealed or choice not in self.buttons:
            return
        self.picked = choice
        self._style()
        self.chosen.emit(choice)

    def reveal(self) -> None:
        """The answer marked (✓), a wrong pick marked too."""
        if self.ask is None or self.revealed:
            return
        self.revealed = True
        self.retranslate()

    @property
    def waiting(self) -> bool:
        """A question is shown and its answer not revealed yet."""
        return self.ask is not None and not self.revealed

    # ---------------------------------------------------------------- looks
    def retranslate(self) -> None:
        if self.ask is None:
            return
        self.question.setText(shown(self.ask.text))
        answer = None if self.ask.answer is None else str(self.ask.answer)
        for choice, button in self.buttons.items():
            text = shown(self.choices[choice])
            button.setText(fill(translate("LessonAsk", "✓ %1"), text) if self.revealed and choice == answer else text)
        self.hint.setText("" if self.revealed else shown(HINT))
        self.hint.setVisible(not self.revealed)
        self._style()
        self._place()

    def _style(self) -> None:
        answer = None if self.ask is None or self.ask.answer is None else str(self.ask.answer)
        for choice, button in self.buttons.items():
            if self.revealed and choice == answer:
                button.setStyleSheet(RIGHT)
            elif self.revealed and choice == self.picked:
                button.setStyleSheet(WRONG)
            elif choice == self.picked:
                button.setStyleSheet(CHOSEN)
            else:
                button.setStyleSheet(PLAIN)

    def _place(self) -> None:
        host = self.parentWidget()
        if host is None or self.ask is None:
            return
        # Type sized to the map: read from the back of the room on a projector.
        large = bool(getattr(self.window(), "presentation", False))
        size = max(12.0, min(30.0, host.height() / (26 if large else 34)))
        if self.revealed:
            size = max(10.0, size * 0.7)  # the race is the answer now: the box gives it room
        font = QFont(self.font())
        font.setPointSizeF(size)
        font.setBold(True)
        self.question.setFont(font)
        width = int(host.width() * 0.9)
        # The choices' type as large as the question's, smaller only as far as they must be to
        # fit side by side (a button's padding and border, the gaps and margins aside).
        button_font = QFont(font)
        button_size = size * 0.85
        room = width - 36 - 14 * max(0, len(self.buttons) - 1) - 44 * len(self.buttons)
        while button_size > 9:
            button_font.setPointSizeF(button_size)
            metrics = QFontMetrics(button_font)
            if sum(metrics.horizontalAdvance(b.text()) for b in self.buttons.values()) <= room:
                break
            button_size *= 0.92
        for button in self.buttons.values():
            button.setFont(button_font)
        hint_font = QFont(font)
        hint_font.setBold(False)
        hint_font.setPointSizeF(size * 0.5)
        self.hint.setFont(hint_font)
        self.setFixedWidth(width)
        self.layout().activate()  # (a hint just hidden gives its height back now)
        self.adjustSize()
        # At the bottom: the caption has the top left corner, the legend the top right.
        self.move((host.width() - width) // 2, max(0, host.height() - self.height() - int(host.height() * 0.08)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self._place()
        return False

