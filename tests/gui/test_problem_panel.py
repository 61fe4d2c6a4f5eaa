"""The problem panel: Surface, Formula and Dataset pages, own CSV data (menu, button, drop)."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from descentlab import engine
from descentlab.engine.files.scene import CSV, load_scene
from descentlab.gui.support.presets import find_preset

PEOPLE = "height,weight,label\n" + "".join(
    f"{150 + i},{45 + (i * 7) % 60},{'heavy' if (i * 7) % 60 > 30 else 'light'}\n" for i in range(60))


def runs_of(c):
    """What a problem change must keep of every run."""
    return [(e.config.optimizer, e.config.label, dict(e.config.hyper), e.colour) for e in c.entries]


def at_step_0(c) -> bool:
    with c.lock:
        return c.race.step == 0


def settled(c, kind: str):
    return lambda: c.scene.kind == kind and not c.loading and c.race is not None


def drop(window, paths):
    """Drag files over the window and drop them, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = window.rect().center()
    enter = QDragEnterEvent(QPoint(centre), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    ev = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, ev)
    return ev.isAccepted()


@pytest.fixture
def people(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE)
    return path


# ------------------------------------------------------------------------------ Surface
def test_the_surface_page_switches_surface_and_keeps_the_runs(window, qtbot):
    c, panel = window.controller, window.panels.problem
    assert panel.kind == "surface"
    before = runs_of(c)
    c.advance_now(20)
    combo = panel.pages["surface"].combo
    combo.setCurrentIndex(combo.findData("rosenbrock"))
    combo.activated.emit(combo.currentIndex())
    assert c.scene.surface == "rosenbrock" and runs_of(c) == before and at_step_0(c)
    assert tuple(c.start_theta) == tuple(engine.get_surface("rosenbrock").start)
    assert "valley" in panel.pages["surface"].about.text()  # the surface's description


def test_picking_surface_after_a_dataset_goes_back_to_a_surface(window, qtbot):
    c, panel = window.controller, window.panels.problem
    window.apply_scene(find_preset("gd-minibatch-sgd").scene)
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    assert panel.kind == "dataset" and not panel.noise_row.isVisible()
    panel.select("surface")
    assert c.scene.kind == "surface" and panel.noise_row.isVisible()
    assert all(e.config.batch_size is None and e.config.loss is None for e in c.entries)


# ------------------------------------------------------------------------------ Dataset
def test_the_dataset_page_builds_each_generator_and_keeps_the_runs(window, qtbot):
    c, panel = window.controller, window.panels.problem
    before = runs_of(c)
    panel.select("dataset")
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    page = panel.pages["dataset"]
    assert c.scene.data.dataset == "moons" and c.scene.data.model == "mlp"
    assert runs_of(c) == before and at_step_0(c)
    for key in engine.DATASETS:
        page.source.setCurrentIndex(page.source.findData(key))
        page.source.activated.emit(page.source.currentIndex())
        assert c.scene.data.dataset == key, page.message.text()
        assert c.race.problem.dataset.key == key and runs_of(c) == before
        spec = engine.DATASETS[key]
        assert page.points.value() == spec.n_points
        assert page.outliers.isEnabled() == ("outliers" in spec.options)
        assert c.scene.data.model == "mlp"  # it fits every dataset: kept


def test_dataset_controls_rebuild_the_problem(window, qtbot):
    c, panel = window.controller, window.panels.problem
    panel.select("dataset")
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    page = panel.pages["dataset"]
    page.points.setValue(120)
    assert c.race.problem.n_train + c.race.problem.n_test == 120
    page.test.setValue(0.5)
    assert c.race.problem.n_test == 60
    seed = c.scene.data.data_seed
    first = c.race.problem.X.copy()
    page.resample.click()
    assert c.scene.data.data_seed == seed + 1 and (c.race.problem.X != first).any()
    page.hidden.setText("8, 4, 2")
    page.hidden.editingFinished.emit()
    assert c.scene.data.hidden == (8, 4, 2)
    page.activation.setCurrentIndex(page.activation.findData("relu"))
    page.activation.activated.emit(page.activation.currentIndex())
    assert c.race.problem.model.activation == "relu"
    page.l2.setValue(0.01)
    assert c.race.problem.l2 == 0.01
    page.standardise.setChecked(True)
    assert c.race.problem.dataset.params.get("standardised")
    page.model.setCurrentIndex(page.model.findData("logistic"))
    page.model.activated.emit(page.model.currentIndex())
    assert c.race.problem.n_params == 2 and not page.hidden.isEnabled()


def test_a_bad_hidden_size_is_shown_and_the_problem_stays(window, qtbot):
    c, panel = window.controller, window.panels.problem
    panel.select("dataset")
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    page = panel.pages["dataset"]
    before = c.current_scene()
    page.hidden.setText("16, x")
    page.hidden.editingFinished.emit()
    assert "'x' is not a layer size" in page.message.text()
    assert c.current_scene() == before


def test_losses_that_do_not_fit_the_model_are_disabled_with_a_reason(window, qtbot):
    c, panel = window.controller, window.panels.problem
    panel.select("dataset")
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    page = panel.pages["dataset"]
    page.source.setCurrentIndex(page.source.findData("line"))
    page.source.activated.emit(page.source.currentIndex())
    assert c.race.problem.dataset.task == "regression" and c.scene.data.model == "mlp"  # it fits
    page.model.setCurrentIndex(page.model.findData("linear"))
    page.model.activated.emit(page.model.currentIndex())
    assert c.race.problem.model.key == "linear"
    items = page.loss.model()
    fitting = set(c.race.problem.losses_that_fit())
    for i in range(1, page.loss.count()):
        key = page.loss.itemData(i)
        assert items.item(i).isEnabled() == (key in fitting)
        if key not in fitting:
            assert "does not fit" in page.loss.itemData(i, Qt.ItemDataRole.ToolTipRole)
    logistic = page.model.findData("logistic")
    assert not page.model.model().item(logistic).isEnabled()
    assert "does not fit a regression" in page.model.itemData(logistic, Qt.ItemDataRole.ToolTipRole)
    l1 = page.loss.findData("l1")
    page.loss.setCurrentIndex(l1)
    page.loss.activated.emit(l1)
    assert c.race.problem.loss_key == "l1"


def test_a_runs_own_loss_that_no_longer_fits_falls_back(window, qtbot):
    c, panel = window.controller, window.panels.problem
    window.apply_scene(find_preset("losses-compared").scene)
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    page = panel.pages["dataset"]
    page.source.setCurrentIndex(page.source.findData("line"))
    page.source.activated.emit(page.source.currentIndex())
    assert c.race.problem.dataset.task == "regression"
    fitting = set(c.race.problem.losses_that_fit())
    assert all(e.config.loss is None or e.config.loss in fitting for e in c.entries)


# ------------------------------------------------------------------------------ own data
def test_a_dropped_csv_becomes_the_problem_and_keeps_the_runs(window, qtbot, people):
    c = window.controller
    before = runs_of(c)
    assert drop(window, [people])
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    assert c.scene.data.dataset == CSV and c.scene.data.csv == str(people.resolve())
    assert runs_of(c) == before and at_step_0(c)
    problem = c.race.problem
    assert problem.dataset.class_names == ("heavy", "light") and problem.model.key == "logistic"
    assert problem.dataset.params["standardised"]  # on by default for a CSV file
    page = window.panels.problem.pages["dataset"]
    assert page.source.currentText() == "CSV: people.csv" and page.standardise.isChecked()
    assert not page.points.isEnabled() and page.points.value() == 60
    window.advance_and_draw(20)
    data = window.panels.data
    assert data.legend_names() == ["heavy", "light"]
    assert data.plotItem.getAxis("bottom").labelText == "height (standardised)"
    # switching standardise off changes the loss's shape; the file stays the source
    page.standardise.setChecked(False)
    assert c.scene.data.standardise is False and not c.race.problem.dataset.params.get("standardised")
    assert c.scene.data.dataset == CSV


def test_a_bad_csv_is_refused_with_one_message_and_the_problem_stays(window, qtbot, tmp_path):
    c = window.controller
    bad = tmp_path / "bad.csv"
    bad.write_text("height,weight,label\n170,60,a\n180,oops,b\n")
    before = c.current_scene()
    assert drop(window, [bad])
    assert window.messages == ["bad.csv, line 3, column 'weight': 'oops' is not a number"]
    assert c.current_scene() == before


def test_only_csv_files_are_taken_from_a_drop(window, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("1,2\n")
    assert not drop(window, [other])
    assert window.controller.scene.kind == "surface"


def test_open_csv_from_the_file_menu_and_the_dataset_page(window, qtbot, people, monkeypatch):
    c = window.controller
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(people), "CSV files (*.csv)"))
    action = next(a for m in window.menuBar().actions() if m.text() == "&File"
                  for a in m.menu().actions() if a.text() == "Open &CSV…")
    action.trigger()
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    assert c.scene.data.csv == str(people.resolve())
    window.panels.problem.select("surface")
    assert c.scene.kind == "surface"
    window.panels.problem.pages["dataset"].open_csv.click()
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    assert c.scene.data.dataset == CSV


def test_a_csv_scene_saves_and_opens_as_the_same_problem(window, qtbot, people, tmp_path):
    c = window.controller
    assert drop(window, [people])
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    (tmp_path / "scenes").mkdir()
    target = tmp_path / "scenes" / "mine.toml"
    assert window.save_scene_file(target)
    assert 'csv = "../people.csv"' in target.read_text()
    saved = c.current_scene()
    window.panels.problem.select("surface")
    assert window.open_scene_file(target)
    qtbot.waitUntil(settled(c, "dataset"), timeout=60_000)
    assert c.scene.data == saved.data and runs_of(c) and load_scene(target).data == saved.data


# ------------------------------------------------------------------------------ Formula
def test_typing_a_formula_shows_errors_with_a_caret_and_the_surface_when_it_parses(window, qtbot):
    c, panel = window.controller, window.panels.problem
    before = runs_of(c)
    panel.select("formula")
    page = panel.pages["formula"]
    assert c.scene.kind == "formula"  # the page's example formula
    page.text.clear()
    qtbot.keyClicks(page.text, "x**2 + * y")
    assert page.error.isVisible() and page.caret.isVisible()
    line, caret = page.caret.text().splitlines()
    assert line == "x**2 + * y" and caret.index("^") == page.text.text().index("* y")
    assert c.scene.formula.text != "x**2 + * y"
    page.text.clear()
    qtbot.keyClicks(page.text, "(x - 1)**2 + 4*y**2")
    assert not page.error.isVisible()
    assert c.scene.formula.text == "(x - 1)**2 + 4*y**2" and runs_of(c) == before and at_step_0(c)
    assert tuple(c.start_theta) == (0.0, 0.0)  # the domain's centre
    page.xmin.setValue(-1.0)
    # The centre (1, 0) is now the minimum: the default start moves towards a corner.
    assert c.scene.formula.domain == (-1.0, 3.0, -3.0, 3.0) and tuple(c.start_theta) == (-0.2, 1.8)
    c.set_start(2.0, 1.0)
    assert (page.sx.value(), page.sy.value()) == (2.0, 1.0)
    snap = window.advance_and_draw(50)
    assert snap.step == 50


def test_the_formula_pages_default_starts_off_its_minimum(window, qtbot):
    """Clicking Formula used to start x² + 3y² at its own minimum: every run read "min at 0"."""
    c, panel = window.controller, window.panels.problem
    panel.select("formula")
    qtbot.waitUntil(settled(c, "formula"))
    surface = c.race.problem.surface
    assert surface.formula == panel.pages["formula"].text.text()
    (x, y), (m,) = tuple(c.start_theta), surface.minima
    assert abs(x - m.x) + abs(y - m.y) > 1.0
    snap = window.advance_and_draw(0)
    assert min(run.loss for run in snap.runs) > 1.0


def test_a_formula_scene_saves_and_opens_as_the_same_problem(window, qtbot, tmp_path):
    c, panel = window.controller, window.panels.problem
    panel.select("formula")
    panel.pages["formula"].text.setText("sin(x) + y**2")
    panel.pages["formula"].text.textEdited.emit("sin(x) + y**2")
    c.set_start(1.5, -1.0)
    target = tmp_path / "f.toml"
    assert window.save_scene_file(target)
    saved = c.current_scene()
    panel.select("surface")
    assert window.open_scene_file(target)
    assert c.scene.formula == saved.formula and c.scene.start == (1.5, -1.0)
    assert panel.kind == "formula" and panel.pages["formula"].text.text() == "sin(x) + y**2"


def test_one_page_per_problem_kind(window):
    from descentlab.engine.problems.registry import KINDS
    from descentlab.gui.panels.problem import PAGES

    panel = window.panels.problem
    assert [page.KIND for page in PAGES] == [k.name for k in KINDS] == list(panel.pages)
    assert [panel.choice.tabText(i) for i in range(panel.choice.count())] == ["Surface", "Formula", "Dataset"]
    for kind in ("dataset", "formula", "surface"):
        panel.select(kind)
        assert panel.kind == kind and panel.pages[kind].isVisibleTo(panel)
        assert panel.noise_row.isVisibleTo(panel) == (kind != "dataset")
