"""The lesson player (gui/lessons): steps, questions, locks, hidden panels, stops, keys,
and the window given back as it was. Tiny inline scenes, fast races."""

import pytest
from lesson_helpers import activate, fresh, lesson, module_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolButton


@pytest.fixture(scope="module")
def shared(qapp, request):
    yield from module_window(qapp, request)


@pytest.fixture
def window(shared, qtbot):
    activate(shared, qtbot)
    yield shared
    fresh(shared)


def race_step(window):
    return window.controller.race.step


def wait_paused(qtbot, window):
    qtbot.waitUntil(lambda: not window.controller.playing, timeout=20_000)


def test_ask_waits_then_page_down_reveals_by_playing_and_marks_the_answer(window, qtbot):
    player = window.lessons
    assert player.open(lesson('+play = 40\nsay = "Watch **GD** zig-zag"\n'
                              'ask = { en = "Who?", zh_CN = "谁？", choices = ["GD", "Adam"], answer = "Adam" }',
                              "+play = 0"))
    c = window.controller
    assert player.ask.isVisible() and not c.playing and race_step(window) == 0  # asked before it plays
    assert list(player.ask.buttons) == ["GD", "Adam"]
    assert "Watch GD zig-zag" in player.caption.shown_text  # the caption drawn on the map
    player.ask.buttons["GD"].click()  # the audience's vote
    assert player.ask.picked == "GD" and not player.ask.revealed
    with qtbot.waitSignal(window.controller.limit_reached, timeout=20_000):
        QTest.keyClick(window, Qt.Key.Key_PageDown)
        assert player.index == 0 and player.ask.revealed  # first the answer, not the next step
        assert player.ask.buttons["Adam"].text().startswith("✓")
        assert not player.ask.buttons["GD"].text().startswith("✓")
    assert race_step(window) == 40  # the race played to the step's play point
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert player.index == 1 and not player.ask.isVisible()


def test_space_reveals_the_answer_too(window, qtbot):
    player = window.lessons
    player.open(lesson('+play = 10\nask = { en = "Who?", choices = ["GD", "Adam"], answer = "GD" }'))
    window.transport.play_action.trigger()
    assert player.ask.revealed


def test_a_locked_panel_refuses_edits_and_takes_them_again_when_unlocked(window, qtbot):
    player = window.lessons
    player.open(lesson('+lock = ["runs", "problem"]', "+play = 0"))
    runs, problem = window.panels.runs, window.panels.problem
    assert runs.isVisible() and not runs.isEnabled() and not problem.isEnabled()  # shown, but locked

    def remove_button():
        card = runs.cards[window.controller.entries[0].uid]
        button = next(b for b in card.findChildren(QToolButton) if b.text() == "×")
        qtbot.waitUntil(button.isVisible)  # (a card is shown once the event loop runs)
        return button

    n = len(window.controller.entries)
    QTest.mouseClick(remove_button(), Qt.MouseButton.LeftButton)
    assert len(window.controller.entries) == n  # the click did nothing
    QTest.keyClick(window, Qt.Key.Key_PageDown)  # a step without locks
    assert runs.isEnabled() and problem.isEnabled()
    QTest.mouseClick(remove_button(), Qt.MouseButton.LeftButton)
    assert len(window.controller.entries) == n - 1  # the same click, unlocked, removes the run


def test_hidden_panels_stay_hidden_through_a_scene_change_and_come_back(window, qtbot):
    player = window.lessons
    board, equations = window.panels.board, window.panels.equations
    assert board.isVisible() and equations.isVisible()
    player.open(lesson('+hide = ["board", "equations"]', "+play = 0"))
    assert board.isHidden() and equations.isHidden()
    window.load_preset(window.presets[0])  # the lecturer opens a preset mid-lesson
    assert board.isHidden() and equations.isHidden()
    QTest.keyClick(window, Qt.Key.Key_PageUp)  # (already the first step: stays)
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert board.isVisible() and equations.isVisible()
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    assert board.isHidden()
    player.leave()
    assert board.isVisible() and equations.isVisible()


def test_until_step_stops_exactly_there_and_space_goes_on_to_the_play_point(window, qtbot):
    player = window.lessons
    with qtbot.waitSignal(window.controller.limit_reached, timeout=20_000):  # (the player's turn is in it)
        player.open(lesson('+play = 90\nuntil = "step:37"'))
    assert race_step(window) == 37 and not window.controller.playing
    window.transport.play_action.trigger()
    qtbot.waitUntil(lambda: race_step(window) == 90 and not window.controller.playing, timeout=20_000)


def test_until_reached_pauses_the_race_when_the_run_gets_there(window, qtbot):
    player = window.lessons
    # Adam reaches the minimum at step 117; checked on each frame, the race stops within a
    # frame's steps of it (≈ 7 at 400 steps a second), far before the play point.
    player.open(lesson('+play = 2000\nuntil = "reached:Adam"', speed=400))
    wait_paused(qtbot, window)
    snap = window.controller.advance_now(0)
    adam = next(r for r in snap.runs if r.label == "Adam")
    assert adam.reached_at == 117  # it stopped because Adam arrived…
    assert snap.step < 2000  # …not at the play point


def test_page_keys_walk_the_steps_in_a_lesson_and_the_presets_outside(window, qtbot):
    player = window.lessons
    titles = [p.scene.title for p in window.presets]
    player.open(lesson("+", "+", "+"))
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert player.index == 2
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    assert player.index == 1 and window.lessons.bar.where.text() == "Step 2 of 3"
    player.leave()
    before = window.controller.scene.title
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert window.controller.scene.title == titles[(titles.index(before) + 1) % len(titles)]


def test_reset_this_step_brings_the_scene_back(window, qtbot):
    player = window.lessons
    with qtbot.waitSignal(window.controller.limit_reached, timeout=20_000):
        player.open(lesson("+play = 30"))
    window.controller.remove_run(window.controller.entries[0].uid)
    with qtbot.waitSignal(window.controller.limit_reached, timeout=20_000):
        window.lessons.bar.reset.click()
        assert [e.label for e in window.controller.entries] == ["GD", "Adam"]
    assert race_step(window) == 30


def test_leaving_gives_the_window_back_as_it_was(window, qtbot):
    c = window.controller
    title, limit, runs = c.scene.title, c.scene.step_limit, len(c.entries)
    player = window.lessons
    player.open(lesson('+view = { explain = true, basins = true }\nhide = ["loss"]\nlock = ["map"]'))
    assert c.explain.on and window.basins_action.isChecked() and window.panels.loss.isHidden()
    assert player.bar.isVisible() and player.caption is not None
    player.leave()
    assert c.scene.title == title and c.scene.step_limit == limit and len(c.entries) == runs
    assert not c.explain.on and not window.basins_action.isChecked()
    assert window.panels.loss.isVisible() and window.panels.map.isEnabled()
    assert not player.bar.isVisible() and not player.ask.isVisible()


def test_a_bad_lesson_file_changes_nothing(window, qtbot, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[lesson]\ntitle = "x"\n[[steps]]\npreset = "no-such-preset"\n', encoding="utf-8")
    title = window.controller.scene.title
    assert not window.lessons.open_file(bad)
    assert window.messages and "bad.toml" in window.messages[-1] and "no-such-preset" in window.messages[-1]
    assert window.controller.scene.title == title and not window.lessons.is_open


def test_the_lesson_s_window_presenter_and_step_dialog_are_chinese(window, qtbot):
    """Every text the player, the presenter view and the step dialog show, in Chinese (the
    runs' labels, the user's own, aside)."""
    from language_walk import english, english_words, visible_texts
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    from descentlab.gui.support import i18n

    def own_texts(widget):
        out = [("title", widget.windowTitle())]
        for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
            if w.isVisible():
                out += [(type(w).__name__, w.text()), (type(w).__name__ + " tooltip", w.toolTip())]
        out += [("placeholder", w.placeholderText()) for w in widget.findChildren(QLineEdit)]
        return [(where, text) for where, text in out if english_words(text)]

    player = window.lessons
    player.open(lesson('+title = { en = "Who?", zh_CN = "谁？" }\nnotes = { en = "Say it", zh_CN = "说吧" }\n'
                       'ask = { en = "Who first?", zh_CN = "谁先到？", choices = ["GD", "Adam"], answer = "Adam" }',
                       '+title = { en = "Then", zh_CN = "然后" }'))
    i18n.set_language("zh_CN", remember=False)
    labels = {"GD", "Adam"}
    assert player.bar.title.text() == "测试课" and player.bar.where.text() == "第 1 步，共 2 步"
    window.advance_and_draw(1)  # the table and the status line, drawn again
    assert english(visible_texts(window), labels) == []  # the bar, the question, the caption, the menus
    player.show_presenter()
    assert own_texts(player.presenter) == []
    assert player.presenter.notes.toPlainText() == "说吧" and player.presenter.next_title.text() == "然后"
    dialog = window.authoring.add_scene_as_step()
    assert [t for t in own_texts(dialog) if t[1] not in labels] == []
    dialog.reject()


# ---------------------------------------------------------------------------- authoring
def test_authoring_round_trip_build_through_the_dialog_save_open_the_same_steps(window, qtbot, tmp_path):
    from descentlab.engine.files.lesson import lesson_to_dict, load_lesson

    authoring = window.authoring
    c = window.controller
    window.load_preset(next(p for p in window.presets if p.name == "narrow-ellipse"))
    window.explain_action.setChecked(True)
    window.panels.equations.hide()
    dialog = authoring.add_scene_as_step()  # captures the scene, the view flags, the hidden panels
    assert dialog.view_boxes["explain"].isChecked() and dialog.hide_boxes["equations"].isChecked()
    dialog.title.set_texts("Zig-zag", "来回摆动")
    dialog.say.set_texts("GD **zig-zags** across the valley", "GD 在山谷里**来回摆动**")
    dialog.notes.set_texts("Point at the steep axis.", "指出陡的那个轴。")
    dialog.play.setValue(120)
    dialog.until.setText("reached:nobody")
    dialog.accept()  # refused: no run has that name; the dialog stays open and says why
    assert dialog.isVisible() and "nobody" in dialog.error.text() and not authoring.draft.steps
    dialog.until.setText("reached:Momentum lr 0.12")
    dialog.question.set_texts("Who arrives first?", "谁先到？")
    dialog.choices.setText("GD lr 0.12, Momentum lr 0.12")
    dialog.answer.setCurrentIndex(dialog.answer.findData("Momentum lr 0.12"))
    dialog.lock_boxes["problem"].setChecked(True)
    dialog.accept()
    assert len(authoring.draft.steps) == 1
    window.explain_action.setChecked(False)
    window.panels.equations.show()
    window.load_preset(next(p for p in window.presets if p.name == "saddle"))
    second = authoring.add_scene_as_step()
    second.title.set_texts("Saddle", "")
    second.accept()
    editor = authoring.show_editor()
    assert editor.list.count() == 2
    editor.list.setCurrentRow(1)
    editor.buttons["up"].click()  # reorder: the saddle first
    assert [str(s.title) for s in authoring.draft.steps] == ["Saddle", "Zig-zag"]
    editor.title.set_texts("Two pictures", "两幅图")
    editor._title_edited()
    path = tmp_path / "two.toml"
    assert authoring.save(path)
    back = load_lesson(path)
    assert lesson_to_dict(back) == lesson_to_dict(authoring.draft)  # the same steps, read back
    zigzag = back.steps[1]
    assert zigzag.title.translations == {"en": "Zig-zag", "zh_CN": "来回摆动"}
    assert zigzag.play == 120 and str(zigzag.until) == "reached:Momentum lr 0.12"
    assert zigzag.ask.answer == "Momentum lr 0.12" and zigzag.lock == ("problem",)
    assert zigzag.hide == ("equations",) and zigzag.view["explain"] and not back.steps[0].view["explain"]
    assert zigzag.scene.surface == "ellipse" and len(zigzag.scene.runs) == 4
    editor.buttons["delete"].click()  # the selected step (the saddle, first now) goes
    assert [str(s.title) for s in authoring.draft.steps] == ["Zig-zag"]
    editor.close()
    assert window.lessons.open_file(path)  # and it plays
    assert window.lessons.bar.where.text() == "Step 1 of 2" and c.scene.surface == "saddle"


def test_the_lessons_menu_opens_the_built_in_lesson_and_leaves_it(window, qtbot):
    from descentlab.engine.files.lesson import builtin_lessons

    builtin = builtin_lessons()[0]
    entries = {a.text(): a for a in window.lessons_menu.actions()}
    title = window.controller.scene.title
    assert not entries["L&eave lesson"].isEnabled()
    entries[str(builtin.title)].trigger()
    assert window.lessons.lesson.source == builtin.source
    assert window.lessons.bar.where.text() == f"Step 1 of {len(builtin.steps)}"
    assert entries["L&eave lesson"].isEnabled() and entries["&Presenter view"].isEnabled()
    entries["L&eave lesson"].trigger()
    assert not window.lessons.is_open and window.controller.scene.title == title


def _menu_action(window, text):
    from PySide6.QtWidgets import QMenu

    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu entry {text!r}")


def test_locks_refuse_every_route_at_the_intent_and_say_so(window, qtbot, tmp_path, monkeypatch):
    """lock = ["problem"] / ["runs"]: menus, a CSV drop, keys and the controller's intents
    change nothing, the status bar says why; unlocked, the same intent goes through."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QFileDialog

    from descentlab.engine.files.scene import save_scene
    from descentlab.gui.support.presets import find_preset

    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append(a) or ("", ""))
    player, c = window.lessons, window.controller
    player.open(lesson('+lock = ["problem"]', '+lock = ["runs"]', "+play = 0"))
    scene_file = tmp_path / "other.toml"
    save_scene(find_preset("beale-classic").scene, scene_file)
    csv = tmp_path / "points.csv"
    csv.write_text("x,y\n0,1\n1,2\n2,3\n", encoding="utf-8")

    def unchanged(what, route):
        before = (c.scene.surface, c.scene.data, c.scene.formula, c.generation,
                  [(e.uid, e.label, e.config.enabled, dict(e.config.hyper)) for e in c.entries])
        window.status.setText("")
        route()
        after = (c.scene.surface, c.scene.data, c.scene.formula, c.generation,
                 [(e.uid, e.label, e.config.enabled, dict(e.config.hyper)) for e in c.entries])
        assert after == before, route
        assert f"This step of the lesson locks the {what}" in window.status.text(), route

    def drop():
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(csv))])
        event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                           Qt.KeyboardModifier.NoModifier)
        window.csv_drop.eventFilter(window, event)

    uid = c.entries[0].uid
    problem_routes = [lambda: _menu_action(window, "Open &CSV…").trigger(), drop,
                      lambda: window.presets_menu.actions()[0].trigger(),
                      lambda: _menu_action(window, "&Open scene…").trigger(),
                      lambda: window.open_scene_file(scene_file),
                      lambda: c.set_problem("rosenbrock"), lambda: c.set_noise(0.5)]
    for route in problem_routes:
        unchanged("problem", route)
    assert not asked and not window.messages  # no file asked for, no message box
    c.set_label(uid, "free")  # the runs are not locked in this step
    assert c.entries[0].label == "free"

    QTest.keyClick(window, Qt.Key.Key_PageDown)  # lock = ["runs"]
    assert player.index == 1 and c.locks == {"runs"}
    run_routes = [lambda: c.add_run("adam"), lambda: c.remove_run(uid), lambda: c.duplicate_run(uid),
                  lambda: c.set_hyper(uid, "lr", 0.01), lambda: c.set_hypers(uid, lr=0.02),
                  lambda: c.set_label(uid, "x"), lambda: c.set_enabled(uid, False),
                  lambda: c.set_schedule(uid, {"kind": "step", "every": 10, "gamma": 0.5}),
                  lambda: _menu_action(window, "&Tune the race (best lr per run)").trigger(),
                  lambda: window.presets_menu.actions()[0].trigger(),
                  lambda: _menu_action(window, "&Open scene…").trigger()]
    for route in run_routes:
        unchanged("runs", route)
    assert not asked and not window.messages
    c.set_noise(0.25)  # the problem is not locked in this step
    assert c.scene.noise == 0.25

    QTest.keyClick(window, Qt.Key.Key_PageDown)  # no locks: the same intents go through
    assert not c.locks
    n = len(c.entries)
    c.add_run("adam")
    assert len(c.entries) == n + 1
    c.set_problem("rosenbrock")
    assert c.scene.surface == "rosenbrock"
    player.leave()
    assert not c.locks


def test_an_unsaved_draft_is_asked_about_before_it_is_lost(window, qtbot, tmp_path, monkeypatch):
    """Save / Discard / Cancel before closing the window, starting from the open lesson or
    starting a new draft (the dialog answered programmatically)."""
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from descentlab.engine.files.lesson import load_lesson

    Button = QMessageBox.StandardButton
    answers, asked = [], []

    def answer(box):
        asked.append(box.text())
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    authoring = window.authoring
    assert authoring.new_draft() and not asked  # nothing written yet: nothing to ask
    authoring.add_scene_as_step().accept()
    assert authoring.dirty and len(authoring.draft.steps) == 1

    def close_refused() -> bool:
        event = QCloseEvent()
        window.closeEvent(event)
        return not event.isAccepted()

    answers.append(Button.Cancel)
    assert close_refused()  # Cancel: the window stays, the draft too
    assert "not saved" in asked[-1] and len(authoring.draft.steps) == 1
    answers.append(Button.Cancel)
    assert not authoring.new_draft() and len(authoring.draft.steps) == 1
    window.lessons.open(lesson("+play = 0", "+play = 0"))
    answers.append(Button.Cancel)
    authoring.edit_open_lesson()
    assert len(authoring.draft.steps) == 1  # not replaced by the open lesson's two

    path = tmp_path / "draft.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    answers.append(Button.Save)  # Save: written, then replaced
    authoring.edit_open_lesson()
    assert len(load_lesson(path).steps) == 1 and len(authoring.draft.steps) == 2 and not authoring.dirty
    n = len(asked)
    assert authoring.new_draft() and len(asked) == n  # saved (or just loaded): nothing to ask
    authoring.add_scene_as_step().accept()
    answers.append(Button.Discard)  # Discard: let go
    assert authoring.new_draft() and not authoring.draft.steps and len(asked) == n + 1
    authoring.add_scene_as_step().accept()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    answers.append(Button.Save)  # Save, but the file dialog cancelled: nothing is lost
    assert close_refused() and authoring.dirty
    assert not answers


def test_the_caption_never_covers_a_legend_or_the_question(window, qtbot):
    """Issue 26's step 9: the explain overlay's legend (drawn after the caption is placed)
    and the question over the map stay uncovered; the caption moves, or its type shrinks."""
    from PySide6.QtCore import QRectF

    player, view = window.lessons, window.panels.map
    size = window.size()
    window.resize(1100, 700)
    say = "GD zig-zags across the narrow valley while **Momentum** averages the swings away. " * 3
    ask = 'ask = { en = "Who reaches the minimum first?", choices = ["GD", "Adam"], answer = "Adam" }'
    player.open(lesson(f'+play = 30\nview = {{ explain = true }}\nsay = "{say}"\n{ask}', "+play = 0"))

    def covered():
        box = player.caption.mapRectToScene(player.caption.boundingRect().adjusted(2, 2, -2, -2))
        rects = [item.sceneBoundingRect() for item in (view.explain.legend, view.legend) if item.isVisible()]
        rects += [QRectF(player.ask.geometry())] if player.ask.isVisible() else []
        return [r for r in rects if box.intersects(r)]

    # (the legend appears with the first frame drawn; each frame places the caption again)
    qtbot.waitUntil(lambda: view.explain.legend.isVisible() and player.ask.isVisible() and not covered())
    assert player.caption.isVisible() and player.caption.corner
    with qtbot.waitSignal(window.controller.limit_reached, timeout=20_000):
        QTest.keyClick(window, Qt.Key.Key_PageDown)  # the answer: the question shrinks, the race plays
    qtbot.waitUntil(lambda: player.ask.revealed and view.explain.legend.isVisible() and not covered())
    window.resize(size)
