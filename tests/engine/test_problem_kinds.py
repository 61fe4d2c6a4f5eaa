"""engine.problems.registry: each problem kind declares its scene keys, its precompile groups
and what its scenes need before they load; scenes and the compile cache follow the list."""

from pathlib import Path

import pytest
import tomllib

from descentlab import engine
from descentlab.engine.compile import precompile
from descentlab.engine.files.scene import DataConfig, FormulaConfig, Scene, SceneError, load_scene, loads_scene
from descentlab.engine.problems import as_problem, is_problem
from descentlab.engine.problems.registry import DEFAULT_KIND, KINDS, kind_named, kind_of

PRESETS = sorted((Path(__file__).resolve().parents[2] / "resources" / "presets").glob("*.toml"))


def test_the_kinds_in_the_panels_order():
    assert [k.name for k in KINDS] == ["surface", "formula", "dataset"]
    assert DEFAULT_KIND is kind_named("surface")
    with pytest.raises(ValueError, match="unknown problem kind 'toy'"):
        kind_named("toy")


@pytest.mark.parametrize(("value", "name", "groups"), [
    (Scene(), "surface", ("surfaces",)),
    ("rosenbrock", "surface", ("surfaces",)),
    (Scene(formula=FormulaConfig()), "formula", ("surfaces", "formula")),
    (FormulaConfig(), "formula", ("surfaces", "formula")),
    (Scene(data=DataConfig()), "dataset", ("surfaces", "datasets")),
    (DataConfig(), "dataset", ("surfaces", "datasets")),
])
def test_what_a_scene_or_config_needs_before_it_loads(value, name, groups):
    kind = kind_of(value)
    assert kind.name == name and kind.groups == groups
    if isinstance(value, Scene):
        assert value.kind == name


def test_every_kind_waits_for_groups_the_children_compile():
    planned = {p for child in precompile.PLAN for p in child}
    for kind in KINDS:
        assert set(kind.groups) <= set(precompile.GROUPS), kind.name
        for group in kind.precompile:
            assert set(precompile.PARTS[group]) <= planned
    assert precompile.GROUPS == ("surfaces", "race", "formula", "datasets", "quasi-newton")
    assert set(precompile.KIND_GROUPS) == {"formula", "datasets"}


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_a_presets_kind_is_the_key_its_problem_gives(path):
    scene = load_scene(path, build=False)
    table = tomllib.loads(path.read_text(encoding="utf-8"))["problem"]
    given = [k for k in KINDS if k.config_attr is not None and k.scene_key in table]
    assert scene.kind == (given[0].name if given else "surface")


def test_a_kinds_keys_are_its_own():
    with pytest.raises(SceneError, match="problem.noise: unknown key"):
        loads_scene('[problem]\ndataset = "moons"\nnoise = 0.5\n', build=False)  # no noise for data
    scene = loads_scene('[problem]\nformula = "x^2 + y^2"\nnoise = 0.5\n')
    assert scene.noise == 0.5 and kind_of(scene).has_noise and not kind_named("dataset").has_noise
    with pytest.raises(SceneError, match=r"runs\[0\].batch_size: unknown key"):
        loads_scene('[problem]\nformula = "x"\n[[runs]]\noptimizer = "sgd"\nbatch_size = 4\n')


def test_as_problem_takes_problems_and_surfaces_only():
    formula = FormulaConfig("x^2 + y^2").build()
    assert as_problem(formula) is formula and is_problem(formula)
    assert isinstance(as_problem("beale"), engine.SurfaceProblem)
    assert isinstance(as_problem(engine.SURFACES["beale"]), engine.SurfaceProblem)
    for wrong in (42, None, DataConfig(), FormulaConfig()):
        assert not is_problem(wrong)
        with pytest.raises(ValueError, match="unknown problem"):
            as_problem(wrong)
