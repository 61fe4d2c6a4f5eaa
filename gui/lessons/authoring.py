"""Writing a lesson without a text editor: *Lessons → Add this scene as a step* captures
the scene shown (runs, start, view region, speed), the view flags and the hidden panels;
a dialog edits the step's title, caption and notes in both languages, its play step, its
stop (until), its question and its hidden and locked panels; *Lesson steps…* reorders,
edits and deletes the steps; *Save lesson…* writes the TOML (engine.files.lesson), checked
by reading it back first.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from descentlab.engine.files.lesson import (
    MAX_CHOICES,
    MAX_PLAY,
    PANEL_NAMES,
    VIEW_FLAGS,
    Ask,
    Lesson,
    LessonError,
    LessonStep,
    Until,
    lesson_to_toml,
    loads_lesson,
    save_lesson,
)
from descentlab.engine.translatable import LocalText

from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate

LANGS = ("en", "zh_CN")
UNTITLED = LocalText({"en": "My lesson", "zh_CN": "我的课"})
PANEL_TITLES = {  # the panels as the dialog names them (the file says their registry names)
    "problem": QT_TRANSLATE_NOOP("LessonAuthoring", "problem"),
    "runs": QT_TRANSLATE_NOOP("LessonAuthoring", "runs"),
    "map": QT_TRANSLATE_NOOP("LessonAuthoring", "map"),
    "view3d": QT_TRANSLATE_NOOP("LessonAuthoring", "3-D view"),
    "timeline": QT_TRANSLATE_NOOP("LessonAuthoring", "timeline"),
    "data": QT_TRANSLATE_NOOP("LessonAuthoring", "data"),
    "loss": QT_TRANSLATE_NOOP("LessonAuthoring", "loss curves"),
    "hyper": QT_TRANSLATE_NOOP("LessonAuthoring", "hyperparameter map"),
    "board": QT_TRANSLATE_NOOP("LessonAuthoring", "leaderboard"),
    "equations": QT_TRANSLATE_NOOP("LessonAuthoring", "equations"),
}
FLAG_NAMES = {
    "explain": QT_TRANSLATE_NOOP("LessonAuthoring", "explain the step"),
    "basins": QT_TRANSLATE_NOOP("LessonAuthoring", "basins"),
    "view3d": QT_TRANSLATE_NOOP("LessonAuthoring", "3-D view"),
    "presentation": QT_TRANSLATE_NOOP("LessonAuthoring", "presentation mode"),
}


def local_text(en: str, zh: str):
    """A text from its English and Chinese fields: None if both are empty."""
    given = {code: text.strip() for code, text in zip(LANGS, (en, zh), strict=True) if text.strip()}
    return LocalText(given) if given else None


def texts_of(value) -> tuple[str, str]:
    """(English, Chinese) of a lesson text (a LocalText, a plain string or None)."""
    if value is None:
        return "", ""
    if isinstance(value, LocalText):
        return value.translations.get("en", ""), value.translations.get("zh_CN", "")
    return str(value), ""


class Authoring(QObject):
    """The lesson being written (``draft``) and the actions on it."""

    changed = Signal()

    def __init__(self, window, player):
        super().__init__(window)
        self.window = window
        self.player = player
        self.draft = Lesson(UNTITLED)
        self.dirty = False  # the draft has changes not saved yet (it lives in memory only)
        self.editor: LessonEditor | None = None

    # ------------------------------------------------------------------ capturing
    def capture(self) -> LessonStep:
        """A step of the window as it is: its scene, view flags and hidden panels."""
        w = self.window
        scene = w.controller.current_scene()
        for part in (*w.panels, w.transport):
            part.save_into(scene)
        if self.player.is_open:
            scene.step_limit = self.player._own_limit  # not the stop the lesson set for its play
        look = w.controller.look
        hidden = tuple(name for name in PANEL_NAMES
                       if (panel := getattr(w.panels, name, None)) is not None
                       and panel.isHidden() and panel.shown_for(look))
        step = LessonStep(title=copy.deepcopy(scene.title) or None, scene=scene,
                          view=dict(self.player.window_flags), hide=hidden)
        return step

    def add_scene_as_step(self) -> StepDialog:
        """The dialog for a new step of the scene shown (open, not modal to the code: the
        step is added when it is accepted)."""
        dialog = StepDialog(self.capture(), self.window)
        dialog.accepted.connect(lambda: self._add(dialog.step))
        dialog.open()
        return dialog

    def edit_step(self, index: int) -> StepDialog | None:
        if not 0 <= index < len(self.draft.steps):
            return None
        dialog = StepDialog(self.draft.steps[index], self.editor or self.window)
        dialog.accepted.connect(lambda: self._replace(index, dialog.step))
        dialog.open()
        return dialog

    def _add(self, step: LessonStep) -> None:
        self.draft.steps.append(step)
        self.dirty = True
        self.changed.emit()
        self.window.notify(fill(translate("LessonAuthoring", "Step %1 added to the lesson (Lessons → Lesson steps…)"),
                                len(self.draft.steps)), 6)

    def _replace(self, index: int, step: LessonStep) -> None:
        self.draft.steps[index] = step
        self.dirty = True
        self.changed.emit()

    def move(self, index: int, delta: int) -> int:
        """Move step ``index`` up (−1) or down (+1); its new index."""
        steps = self.draft.steps
        to = index + delta
        if 0 <= index < len(steps) and 0 <= to < len(steps):
            steps.insert(to, steps.pop(index))
            self.dirty = True
            self.changed.emit()
            return to
        return index

    def delete(self, index: int) -> None:
        if 0 <= index < len(self.draft.steps):
            del self.draft.steps[index]
            self.dirty = True
            self.changed.emit()

    def set_title(self, en: str, zh: str) -> None:
        if texts_of(self.draft.title) == (en, zh):
            return
        self.draft.title = local_text(en, zh) or UNTITLED
        self.dirty = True
        self.changed.emit()

    def edit_open_lesson(self) -> None:
        """Start from the lesson being played (its steps, each with its scene written in)."""
        lesson = self.player.lesson
        if lesson is None or not self.may_drop_draft():
            return
        draft = copy.deepcopy(lesson)
        for k, step in enumerate(draft.steps):
            if step.scene is None and step.preset is None:
                step.scene = copy.deepcopy(lesson.scene_of(k))
        draft.source = None
        self.draft = draft
        self.dirty = False  # the lesson's own steps: nothing of the author's yet
        self.changed.emit()

    def new_draft(self) -> bool:
        """An empty lesson to write (the draft's unsaved steps first saved or let go)."""
        if not self.may_drop_draft():
            return False
        self.draft = Lesson(UNTITLED)
        self.dirty = False
        self.changed.emit()
        return True

    def may_drop_draft(self) -> bool:
        """Before the draft is lost (the window closes, another lesson or a new draft
        replaces it): True if nothing unsaved would be lost, or the author chose Save (and
        saved) or Discard; False for Cancel."""
        if not (self.dirty and self.draft.steps):
            return True
        parent = self.editor if self.editor is not None and self.editor.isVisible() else self.window
        box = QMessageBox(QMessageBox.Icon.Warning, translate("LessonAuthoring", "Unsaved lesson"),
                          fill(translate("LessonAuthoring", "The lesson being written (%1 steps) is not saved. "
                                         "Save it?"), len(self.draft.steps)),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, parent)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = QMessageBox.StandardButton(box.exec())
        if answer == QMessageBox.StandardButton.Save:
            return self.ask_and_save()
        if answer == QMessageBox.StandardButton.Discard:
            self.dirty = False
            return True
        return False

    # ------------------------------------------------------------------ the editor
    def show_editor(self) -> LessonEditor:
        if self.editor is None:
            self.editor = LessonEditor(self)
        self.editor.refresh()
        self.editor.show()
        self.editor.raise_()
        return self.editor

    # ------------------------------------------------------------------ saving
    def ask_and_save(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self.window, translate("LessonAuthoring", "Save lesson"), "lesson.toml",
                                              translate("LessonAuthoring", "Lessons (*.toml)"))
        return bool(path) and self.save(path)

    def save(self, path) -> bool:
        """Write the draft to ``path``, after reading its TOML back (a lesson that would not
        open again is not written: the message says why)."""
        parent = self.editor if self.editor is not None and self.editor.isVisible() else self.window
        try:
            loads_lesson(lesson_to_toml(self.draft), "lesson")
            save_lesson(self.draft, path)
        except LessonError as exc:
            QMessageBox.warning(parent, translate("LessonAuthoring", "Cannot save the lesson"), str(exc))
            return False
        except OSError as exc:
            QMessageBox.warning(parent, translate("LessonAuthoring", "Cannot save the lesson"),
                                f"{path}: {exc.strerror or exc}")
            return False
        self.dirty = False
        self.window.notify(fill(translate("LessonAuthoring", "Saved %1"), path), 4)
        return True


class _Pair:
    """An English and a Chinese field side by side."""

    def __init__(self, grid: QGridLayout, row: int, label, value, lines: int = 1):
        title = QLabel()
        bind(title.setText, label)
        grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
        self.edits = []
        for column, text in enumerate(texts_of(value), start=1):
            if lines > 1:
                edit = QPlainTextEdit()
                edit.setPlainText(text)
                edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
                edit.setTabChangesFocus(True)
            else:
                edit = QLineEdit(text)
            grid.addWidget(edit, row, column)
            self.edits.append(edit)

    def texts(self) -> tuple[str, str]:
        return tuple(e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text() for e in self.edits)

    def value(self):
        return local_text(*self.texts())

    def set_texts(self, en: str, zh: str) -> None:
        for edit, text in zip(self.edits, (en, zh), strict=True):
            edit.setPlainText(text) if isinstance(edit, QPlainTextEdit) else edit.setText(text)


class StepDialog(QDialog):
    """One step: its texts (English and Chinese), play, until, the question, the panels
    hidden and locked, the view flags. ``step`` is the edited step once accepted."""

    def __init__(self, step: LessonStep, parent=None):
        super().__init__(parent)
        bind(self.setWindowTitle, QT_TRANSLATE_NOOP("LessonAuthoring", "Lesson step"))
        self.original = step
        self.step: LessonStep | None = None
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        for column, text in enumerate((QT_TRANSLATE_NOOP("LessonAuthoring", "English"),
                                       QT_TRANSLATE_NOOP("LessonAuthoring", "Chinese (简体中文)")), start=1):
            head = QLabel()
            bind(head.setText, text)
            grid.addWidget(head, 0, column)
        self.title = _Pair(grid, 1, QT_TRANSLATE_NOOP("LessonAuthoring", "Title"), step.title)
        self.say = _Pair(grid, 2, QT_TRANSLATE_NOOP("LessonAuthoring", "Caption on the map"), step.say, lines=3)
        self.notes = _Pair(grid, 3, QT_TRANSLATE_NOOP("LessonAuthoring", "Presenter notes"), step.notes, lines=5)
        ask = step.ask
        self.question = _Pair(grid, 4, QT_TRANSLATE_NOOP("LessonAuthoring", "Question (optional)"),
                              ask.text if ask is not None else None)
        layout.addLayout(grid)
        form = QFormLayout()
        self.choices = QLineEdit(", ".join(str(c) for c in ask.choices) if ask is not None else "")
        bind(self.choices.setPlaceholderText,
             QT_TRANSLATE_NOOP("LessonAuthoring", "GD, Adam, RMSprop (separated by commas)"))
        self.answer = QComboBox()
        self.choices.textChanged.connect(self._fill_answers)
        self._fill_answers()
        if ask is not None and ask.answer is not None:
            self.answer.setCurrentIndex(max(0, self.answer.findData(str(ask.answer))))
        self.play = QSpinBox()
        self.play.setRange(0, min(MAX_PLAY, 2_000_000_000))
        self.play.setGroupSeparatorShown(True)
        bind(self.play.setSpecialValueText, QT_TRANSLATE_NOOP("LessonAuthoring", "0 (wait for Space)"))
        self.play.setValue(step.play)
        self.until = QLineEdit(str(step.until) if step.until is not None else "")
        bind(self.until.setPlaceholderText, QT_TRANSLATE_NOOP("LessonAuthoring",
                                                              '"step:200", "reached:Adam" or "loss:Adam<0.01"'))
        for label, widget in ((QT_TRANSLATE_NOOP("LessonAuthoring", "Choices"), self.choices),
                              (QT_TRANSLATE_NOOP("LessonAuthoring", "Answer"), self.answer),
                              (QT_TRANSLATE_NOOP("LessonAuthoring", "Play to step"), self.play),
                              (QT_TRANSLATE_NOOP("LessonAuthoring", "Stop"), self.until)):
            title = QLabel()
            bind(title.setText, label)
            form.addRow(title, widget)
        self.hide_boxes = self._boxes(form, QT_TRANSLATE_NOOP("LessonAuthoring", "Hidden panels"), PANEL_NAMES,
                                      step.hide, names=PANEL_TITLES)
        self.lock_boxes = self._boxes(form, QT_TRANSLATE_NOOP("LessonAuthoring", "Locked panels"), PANEL_NAMES,
                                      step.lock, names=PANEL_TITLES)
        self.view_boxes = self._boxes(form, QT_TRANSLATE_NOOP("LessonAuthoring", "View"), VIEW_FLAGS,
                                      [k for k, on in step.view.items() if on], names=FLAG_NAMES)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _boxes(form, label, keys, checked, names=None) -> dict[str, QCheckBox]:
        """A row of check boxes, one per key (shown as ``names[key]``, translated, if given)."""
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        boxes = {}
        for key in keys:
            box = QCheckBox(row)
            if names is not None and key in names:
                bind(box.setText, names[key])
            else:
                box.setText(key)
            box.setChecked(key in checked)
            line.addWidget(box)
            boxes[key] = box
        line.addStretch(1)
        title = QLabel()
        bind(title.setText, label)
        form.addRow(title, row)
        return boxes

    def _fill_answers(self) -> None:
        current = self.answer.currentData()
        self.answer.clear()
        self.answer.addItem(translate("LessonAuthoring", "(no answer)"), None)
        for choice in self.choice_list():
            self.answer.addItem(choice, choice)
        index = self.answer.findData(current) if current is not None else 0
        self.answer.setCurrentIndex(max(0, index))

    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.text().split(",") if c.strip()]

    def edited(self) -> LessonStep:
        """The step as the fields say; ValueError (a sentence) if they cannot make one."""
        step = copy.deepcopy(self.original)
        step.title = self.title.value()
        step.say = self.say.value()
        step.notes = self.notes.value()
        step.play = self.play.value()
        text = self.until.text().strip()
        if text:
            until = Until.parse(text)
            scene = self.original.scene
            if until.run is not None and scene is not None and until.find_run(scene.runs) is None:
                raise ValueError(fill(translate("LessonAuthoring", "until: no run named %1 in this scene"), until.run))
            step.until = until
        else:
            step.until = None
        question = self.question.value()
        choices = self.choice_list()
        if len(choices) > MAX_CHOICES:
            raise ValueError(fill(translate("LessonAuthoring", "at most %1 choices"), MAX_CHOICES))
        if len(set(choices)) != len(choices):
            raise ValueError(translate("LessonAuthoring", "the choices must differ"))
        if choices and question is None:
            raise ValueError(translate("LessonAuthoring", "choices need a question"))
        step.ask = None if question is None else Ask(question, tuple(choices), self.answer.currentData())
        step.hide = tuple(name for name, box in self.hide_boxes.items() if box.isChecked())
        step.lock = tuple(name for name, box in self.lock_boxes.items() if box.isChecked())
        step.view = {name: box.isChecked() for name, box in self.view_boxes.items()}
        return step

    def accept(self) -> None:
        try:
            self.step = self.edited()
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


class LessonEditor(QDialog):
    """The lesson being written: its title, its steps (reorder, edit, delete), Save."""

    def __init__(self, authoring: Authoring):
        super().__init__(authoring.window)
        self.authoring = authoring
        bind(self.setWindowTitle, QT_TRANSLATE_NOOP("LessonAuthoring", "Lesson steps"))
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.title = _Pair(grid, 0, QT_TRANSLATE_NOOP("LessonAuthoring", "Lesson title"), authoring.draft.title)
        for edit in self.title.edits:
            edit.editingFinished.connect(self._title_edited)
        layout.addLayout(grid)
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.authoring.edit_step(self.list.currentRow()))
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.buttons = {}
        for name, text, slot in (
                ("add", QT_TRANSLATE_NOOP("LessonAuthoring", "Add this scene…"), authoring.add_scene_as_step),
                ("edit", QT_TRANSLATE_NOOP("LessonAuthoring", "Edit…"),
                 lambda: authoring.edit_step(self.list.currentRow())),
                ("up", QT_TRANSLATE_NOOP("LessonAuthoring", "Up"), lambda: self._move(-1)),
                ("down", QT_TRANSLATE_NOOP("LessonAuthoring", "Down"), lambda: self._move(+1)),
                ("delete", QT_TRANSLATE_NOOP("LessonAuthoring", "Delete"),
                 lambda: authoring.delete(self.list.currentRow())),
                ("from_open", QT_TRANSLATE_NOOP("LessonAuthoring", "Start from the open lesson"),
                 authoring.edit_open_lesson),
                ("new", QT_TRANSLATE_NOOP("LessonAuthoring", "New lesson"), authoring.new_draft),
                ("save", QT_TRANSLATE_NOOP("LessonAuthoring", "Save lesson…"), authoring.ask_and_save)):
            button = QPushButton()
            bind(button.setText, text)
            button.clicked.connect(lambda _=False, s=slot: s())
            row.addWidget(button)
            self.buttons[name] = button
        layout.addLayout(row)
        authoring.changed.connect(self.refresh)
        authoring.player.changed.connect(self.refresh)
        self.resize(760, 420)

    def _title_edited(self) -> None:
        self.authoring.set_title(*self.title.texts())

    def _move(self, delta: int) -> None:
        self.list.setCurrentRow(self.authoring.move(self.list.currentRow(), delta))

    def refresh(self) -> None:
        draft = self.authoring.draft
        row = self.list.currentRow()
        self.list.clear()
        for k, step in enumerate(draft.steps, start=1):
            title = shown(step.title) or translate("LessonAuthoring", "(untitled)")
            self.list.addItem(f"{k}. {title}")
        self.list.setCurrentRow(min(max(row, 0), len(draft.steps) - 1))
        en, zh = texts_of(draft.title)
        if tuple(self.title.texts()) != (en, zh):
            self.title.set_texts(en, zh)
        for name in ("edit", "up", "down", "delete", "save"):
            self.buttons[name].setEnabled(bool(draft.steps))
        self.buttons["from_open"].setEnabled(self.authoring.player.is_open)
