"""What a refused scene says: the field, the value, and what it takes, in plain words."""

import pytest

from descentlab.engine.files.scene import SceneError, loads_scene

RUN = '[[runs]]\noptimizer = "adam"\n'


@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
def test_an_infinite_start_asks_for_a_finite_number(value):
    with pytest.raises(SceneError) as err:
        loads_scene(f'[problem]\nsurface = "beale"\nstart = [{value}, 1.0]\n' + RUN, "s.toml")
    assert str(err.value) == f"s.toml: problem.start[0]: invalid value {float(value)!r} (allowed: a finite number)"


def test_a_bounded_number_names_its_range():
    with pytest.raises(SceneError) as err:
        loads_scene('[problem]\nsurface = "beale"\n[view]\nspeed = -5.0\n' + RUN, "s.toml")
    assert str(err.value) == "s.toml: view.speed: invalid value -5.0 (allowed: [1, 1e+06])"
