"""The optimizer registry (engine.optimizers.NAMES): ids, slots, derived rule text, the README."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.optimizers import (
    MAX_HYPER,
    MODULES,
    NAMES,
    OPTIMIZERS,
    STATE_SCALARS,
    STATE_VECTORS,
    dispatch,
    module_for,
)
from descentlab.engine.spec import LR_SLOT, rule_html

README = Path(__file__).resolve().parents[2] / "README.md"


def test_ids_are_places_in_the_registry():
    assert [m.__name__.rsplit(".", 1)[1] for m in MODULES] == list(NAMES)
    assert [spec.id for spec in OPTIMIZERS.values()] == list(range(len(NAMES)))
    for oid, module in enumerate(MODULES):
        assert module.SPEC is OPTIMIZERS[module.SPEC.key]  # one spec, the registered one
        assert module_for(module.SPEC.key) is module and module.SPEC.id == oid


def test_slots_are_named_and_lr_comes_first():
    adam = engine.get_optimizer("adam")
    assert adam.slots("eps", "lr", "bias_correction") == (3, 0, 6)
    with pytest.raises(ValueError, match="no hyperparameter 'beta3'.*it takes: lr, beta1"):
        adam.slots("beta3")
    for spec in OPTIMIZERS.values():
        assert spec.slots("lr") == (LR_SLOT,)
    with pytest.raises(ValueError, match="first hyperparameter must be lr"):
        type(adam)(key="x", name="X", hyper=adam.hyper[1:], equations="", reference="")


def test_rule_html_marks_up_the_unicode_rule():
    assert rule_html("θₜ = θₜ₋₁ − α·gₜ²") == (
        "θ<sub>t</sub> = θ<sub>t−1</sub> − α·g<sub>t</sub><sup>2</sup>")
    assert rule_html("m̂ = m/(1−β₁ᵗ),  ρ_(∞) > 5\n^(α)⁄_(1+(t−1)η) *(note)*") == (
        "m̂ = m/(1−β<sub>1</sub><sup>t</sup>), &nbsp; ρ<sub>∞</sub> &gt; 5<br>"
        "<sup>α</sup>&frasl;<sub>1+(t−1)η</sub> <i>(note)</i>")


def test_every_rule_has_one_html_line_per_line():
    for spec in OPTIMIZERS.values():
        html = spec.equations_html
        assert html.count("<br>") == spec.equations.count("\n"), spec.key
        assert not re.search("[₀-₉ₜᵢ₊₋⁰-⁹ᵗ²]|[_^]\\(", html), spec.key  # all marked up


def test_the_readme_names_every_optimizer_of_the_registry():
    """README's list of optimizers (its opening paragraph) is the registry's, no more, no less."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    listed = re.search(r"optimizers — (.+?) — each", text)
    assert listed, "README's opening list of optimizers ('optimizers — GD, SGD, … — each') moved"
    names = [name.strip() for name in listed.group(1).split(",")]
    assert sorted(names) == sorted(spec.name for spec in OPTIMIZERS.values())


def test_the_dispatch_slots_hold_the_registry_in_order():
    """optimizer_step's chain has a branch per slot, and slot k is the k-th module's step."""
    source = Path(dispatch.__file__).read_text(encoding="utf-8")
    for k in range(dispatch.CAPACITY):
        assert f"oid == {k}:\n        _STEP_{k}(theta, g, vec, sc, h, t)" in source, k
        step = getattr(dispatch, f"_STEP_{k}")
        assert step is (MODULES[k].step if k < len(MODULES) else dispatch._no_step), k
    assert not hasattr(dispatch, f"_STEP_{dispatch.CAPACITY}")


def test_an_id_past_the_registry_takes_no_step():
    from test_optimizer_reference import _dispatched_step

    theta, g = np.array([0.5, -1.0]), np.array([1.0, 2.0])
    vec, sc = np.zeros((STATE_VECTORS, 2)), np.zeros(STATE_SCALARS)
    h = np.full(MAX_HYPER, 0.1)
    for oid in (-1, len(MODULES), len(MODULES) + 5, dispatch.CAPACITY - 1, dispatch.CAPACITY):
        _dispatched_step(oid, theta, g, vec, sc, h, 1.0)
        assert np.array_equal(theta, [0.5, -1.0]) and not vec.any() and not sc.any()
    _dispatched_step(0, theta, g, vec, sc, h, 1.0)  # and id 0 (GD) does step
    assert np.array_equal(theta, [0.5 - 0.1 * 1.0, -1.0 - 0.1 * 2.0])
