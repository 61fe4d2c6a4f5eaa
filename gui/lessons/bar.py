"""The lesson bar, under the transport while a lesson is open: the lesson's title, step k
of n with ◀ ▶ (Page Up / Page Down), the step's title, Reset this step, the presenter view
and Leave lesson."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar, QToolButton, QWidget

from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate


class LessonBar(QToolBar):
    def __init__(self, player, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonBar")
        bind(self.setWindowTitle, QT_TRANSLATE_NOOP("LessonBar", "Lesson"))
        self.setMovable(False)
        self.player = player
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.addWidget(self.title)
        self.addSeparator()
        self.previous = self._button("◀",
                                     QT_TRANSLATE_NOOP("LessonBar", "Previous step (Page Up)"), player.previous)
        self.where = QLabel(self)
        self.addWidget(self.where)
        self.next = self._button("▶",
                                 QT_TRANSLATE_NOOP("LessonBar", "Next step (Page Down); with a question, "
                                                                "first the answer"), player.next)
        self.step_title = QLabel(self)
        self.step_title.setFont(font)
        self.addWidget(self.step_title)
        self.addSeparator()
        self.reset = self._button(QT_TRANSLATE_NOOP("LessonBar", "Reset this step"),
                                  QT_TRANSLATE_NOOP("LessonBar", "The step's scene as the lesson sets it, "
                                                                 "after the audience played with it"),
                                  player.reset_step)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.presenter = self._button(QT_TRANSLATE_NOOP("LessonBar", "Presenter view"),
                                      QT_TRANSLATE_NOOP("LessonBar", "Notes, the next step and the clock in a "
                                                                     "window of their own (on a second screen "
                                                                     "if there is one)"),
                                      player.show_presenter)
        self.leave = self._button(QT_TRANSLATE_NOOP("LessonBar", "Leave lesson"),
                                  QT_TRANSLATE_NOOP("LessonBar", "Back to the window as it was before the lesson"),
                                  player.leave)

    def _button(self, text, tip, slot) -> QToolButton:
        button = QToolButton(self)
        bind(button.setText, text)
        bind(button.setToolTip, tip)
        button.clicked.connect(lambda _=False: slot())
        self.addWidget(button)
        return button

    def refresh(self) -> None:
        """The texts for the player's lesson and step, in the window's language."""
        p = self.player
        if p.lesson is None:
            return
        self.title.setText(shown(p.lesson.title))
        self.where.setText(fill(translate("LessonBar", "Step %1 of %2"), p.index + 1, len(p.lesson.steps)))
        self.step_title.setText(shown(p.step.title) if p.step is not None else "")
        self.previous.setEnabled(p.index > 0)
        self.next.setEnabled(p.index + 1 < len(p.lesson.steps) or p.ask.waiting)
