"""The step explained on the map (key E), step by step (→ walks the rule), live numbers."""

from __future__ import annotations

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.files.scene import DataConfig, RunConfig, Scene


def items_visible(layer) -> dict[str, bool]:
    out = {k: a.isVisible() for k, a in layer.arrows.items()}
    out.update(box=layer.box.isVisible(), legend=layer.legend.isVisible(),
               caption=layer.caption.isVisible())
    return out


def load(win, qtbot, runs, surface="ellipse", start=(-4.5, 1.5)):
    scene = Scene(surface=surface, start=start, runs=runs)
    assert win.apply_scene(scene), win.messages
    qtbot.waitUntil(lambda: win.controller.race is not None
                    and len(win.controller.race.run_ids) == len(runs), timeout=30_000)


def select(win, index):
    c = win.controller
    c.select(c.entries[index].uid)


def test_overlay_items_exist_follow_the_selection_and_switch_off(window, qtbot):
    win, c = window, window.controller
    layer = win.panels.map.explain
    load(win, qtbot, [RunConfig("adam", {"lr": 0.1}, label="Adam A"),
                      RunConfig("momentum", {"lr": 0.05}, label="Mom B")])
    assert not any(items_visible(layer).values())
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(win, Qt.Key.Key_E)  # key E
    assert c.explain.on and win.explain_action.isChecked()
    select(win, 0)
    win.advance_and_draw(10)
    seen = items_visible(layer)
    assert seen["grad"] and seen["momentum"] and seen["step"] and seen["box"] and seen["legend"]
    assert "Adam A" in layer.legend.textItem.toPlainText()
    assert "effective lr" in layer.legend.textItem.toPlainText()
    # in the run's colour
    colour = c.entries[0].colour
    assert layer.arrows["step"].opts["pen"].color().name() == colour.lower()
    # the step arrow starts at the run's marker and points where the run goes next
    o = layer.overlay
    pos = c.race.runs.theta[0].copy()
    np.testing.assert_allclose(o.arrows[-1].start, pos)
    select(win, 1)
    win.advance_and_draw(1)
    assert "Mom B" in layer.legend.textItem.toPlainText()
    assert not layer.box.isVisible()  # momentum has no per-coordinate scale
    np.testing.assert_allclose(layer.overlay.point, c.race.runs.theta[1])
    win.explain_action.setChecked(False)
    assert not any(items_visible(layer).values())
    assert c.race.snapshot().walk is None or c.explain_uid == -1


def test_arrows_are_scaled_when_too_short_and_the_legend_says_so(window, qtbot):
    win, c = window, window.controller
    layer = win.panels.map.explain
    load(win, qtbot, [RunConfig("gd", {"lr": 1e-4}, label="tiny")])
    win.explain_action.setChecked(True)
    win.advance_and_draw(3)
    assert layer.overlay.scale > 1
    text = layer.legend.textItem.toPlainText()
    assert "×" in text and "too short" in text
    step = layer.overlay.arrows[-1]
    true = c.race.walk(c.entries[0].uid).terms["update"]
    np.testing.assert_allclose((step.end - step.start) / step.scale, true, rtol=1e-9)


def test_a_diverged_run_draws_nothing_and_says_so(window, qtbot):
    win = window
    layer = win.panels.map.explain
    load(win, qtbot, [RunConfig("gd", {"lr": 5.0}, label="too big")])
    win.explain_action.setChecked(True)
    snap = win.advance_and_draw(200)
    assert snap.runs[0].diverged_at is not None
    seen = items_visible(layer)
    assert not (seen["grad"] or seen["momentum"] or seen["step"] or seen["box"])
    assert seen["legend"] and "diverged" in layer.legend.textItem.toPlainText()


def test_step_by_step_walks_the_rule_then_moves(window, qtbot):
    win, c = window, window.controller
    layer = win.panels.map.explain
    eq = win.panels.equations
    load(win, qtbot, [RunConfig("adam", {"lr": 0.1}, label="Adam")])
    win.step_by_step_action.setChecked(True)
    assert c.explain.on and c.explain.step_by_step and win.explain_action.isChecked()
    win.advance_and_draw(4)
    walk = c.explain.walk
    n = len(walk.lines)
    assert n >= 5
    assert layer.caption.isVisible() and layer.caption.textItem.toPlainText().strip().startswith("1. g")
    for i in range(1, n):
        c.step(1)  # →
        assert c.explain.line == i
        assert layer.caption.textItem.toPlainText().strip().startswith(f"{i + 1}. ")
        assert "background-color:#ffe680" in eq.text()
    assert c.race.step == 4  # the run has not moved yet
    c.step(1)  # after the last line: the step itself
    qtbot.waitUntil(lambda: c.race.step == 5, timeout=10_000)
    np.testing.assert_allclose(c.race.runs.theta[0], walk.theta_next, rtol=1e-12)
    assert c.explain.line == 0
    qtbot.waitUntil(lambda: c.explain.walk is not walk and c.explain.walk.t == 6.0,
                    timeout=10_000)
    c.set_playing(True)  # Space leaves the mode and races on
    assert not c.explain.step_by_step and c.explain.on
    assert not win.step_by_step_action.isChecked()
    c.set_playing(False)


def test_equations_panel_shows_live_numbers_and_lights_the_line(window, qtbot):
    win, c = window, window.controller
    eq = win.panels.equations
    load(win, qtbot, [RunConfig("adam", {"lr": 0.1, "bias_correction": False}, label="Adam")])
    win.advance_and_draw(3)
    text = eq.text()
    assert "live numbers, step 3" in text
    for symbol in ("m̂", "v̂", "effective lr", "1 − β<sub>1</sub><sup>t</sup>", "Δθ"):
        assert symbol in text
    assert "bias_correction = off" in text
    win.step_by_step_action.setChecked(True)
    win.advance_and_draw(1)
    c.step(1)
    assert "background-color:#ffe680" in eq.text()
    win.step_by_step_action.setChecked(False)
    win.explain_action.setChecked(False)


def test_on_a_slice_the_arrows_are_projected_and_the_map_says_so(window, qtbot):
    win, c = window, window.controller
    scene = Scene(data=DataConfig("moons", model="mlp", hidden=(4,)),
                  runs=[RunConfig("adam", {"lr": 0.05}, label="Adam")])
    win.apply_scene(scene)
    qtbot.waitUntil(lambda: c.race is not None and c.is_dataset
                    and len(c.race.run_ids) == 1, timeout=60_000)
    win.explain_action.setChecked(True)
    win.advance_and_draw(5)
    layer = win.panels.map.explain
    assert layer.overlay is not None and layer.overlay.ok
    assert "projected" in layer.legend.textItem.toPlainText()
    assert not layer.box.isVisible()


def test_snapshot_with_explain_draws_the_overlay(tmp_path, qapp):
    from test_cli import descentlab, image_pixels

    plain, explained = tmp_path / "plain.png", tmp_path / "explained.png"
    for out, extra in ((plain, ()), (explained, ("--explain",))):
        result = descentlab("--preset", "narrow-ellipse", "--snapshot", str(out), "--steps", "20",
                            "--size", "1000x700", *extra)
        assert result.returncode == 0, result.stderr
    a, b = image_pixels(plain), image_pixels(explained)
    assert a.shape == b.shape and (a != b).any(axis=2).sum() > 500  # arrows and a legend


def test_live_numbers_show_the_starts_gradient_before_the_first_step(window, qtbot):
    """They read "g = (NaN, NaN)" before: the gradient is known at the start."""
    from descentlab.engine.maps.explain import fmt_value

    win, c = window, window.controller
    eq = win.panels.equations
    load(win, qtbot, [RunConfig("adam", {"lr": 0.1}, label="Adam")])
    win.advance_and_draw(0)
    text = eq.text()
    assert "live numbers (before the first step)" in text
    with c.lock:
        start_grad = c.race.problem.evaluate(c.race.runs.theta[:1])[1][0]
    assert f"g = <b>{fmt_value(start_grad)}</b>" in text
    assert "NaN" not in text and "Δθ" not in text


@pytest.mark.parametrize("key", ["rprop", "asgd", "adafactor", "muon"])
def test_a_new_optimizer_is_added_walked_and_explained_like_the_others(window, qtbot, key):
    """Issue 24's optimizers in the window: added from the runs panel, a card with one control
    per hyperparameter (torch's flattened names), the rule in the equations panel, step by
    step through its walk to where the engine's step ends, and a bad value refused."""
    win, c = window, window.controller
    load(win, qtbot, [RunConfig("gd", {"lr": 0.05}, label="GD")])
    index = win.panels.runs.add.findData(key)
    assert index > 0
    win.panels.runs.add.activated.emit(index)
    qtbot.waitUntil(lambda: len(c.race.run_ids) == 2, timeout=30_000)
    spec = engine.get_optimizer(key)
    card = win.panels.runs.cards[c.entries[-1].uid]
    assert list(card.controls) == list(spec.hyper_names)
    for name, control in card.controls.items():
        assert control.value == spec.defaults[name], name
    select(win, 1)
    win.step_by_step_action.setChecked(True)
    win.advance_and_draw(3)
    walk = c.explain.walk
    assert walk is not None and walk.lines[0].draw == "grad" and walk.lines[-1].draw == "step"
    text = win.panels.equations.text()
    assert spec.equations_html.split("<br>")[0][:20] in text
    for _ in range(1, len(walk.lines)):
        c.step(1)
    c.step(1)
    qtbot.waitUntil(lambda: c.race.step == 4, timeout=10_000)
    np.testing.assert_allclose(c.race.runs.theta[1], walk.theta_next, rtol=1e-12)
    win.step_by_step_action.setChecked(False)
    win.explain_action.setChecked(False)
    bad = {"rprop": ("eta_minus", 1.5), "asgd": ("lambd", -1.0), "adafactor": ("d", 0.5),
           "muon": ("ns_steps", 0.5)}[key]
    with pytest.raises(ValueError, match=f"{bad[0]}=(1.5|-1|0.5)"):
        spec.validate({bad[0]: bad[1]})


def test_a_redraw_after_a_new_problem_never_uses_the_old_problems_step(window, qtbot):
    """Found by the monkey test: the overlay kept the last surface's snapshot (2 parameters)
    and redrew it over a 337-parameter MLP's map when the view or the language changed."""
    from descentlab.gui.support import i18n
    from descentlab.gui.support.presets import find_preset

    window.controller.explain.set_on(True)
    window.advance_and_draw(3)
    assert window.panels.map.explain.last is not None
    window.apply_scene(find_preset("spirals-adam-vs-sgd").scene)
    qtbot.waitUntil(lambda: not window.controller.loading and window.controller.race is not None,
                    timeout=60_000)
    assert window.panels.map.explain.last is None
    window.panels.map.explain.redraw()  # as the region or the language changing does
    try:
        i18n.set_language("zh_CN", remember=False)
    finally:
        i18n.set_language("en", remember=False)
    window.advance_and_draw(2)
    assert window.panels.map.explain.last is not None
