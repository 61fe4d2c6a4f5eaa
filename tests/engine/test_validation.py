"""Bad input to engine.trajectory raises ValueError naming the parameter, the value, the range."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_optimizers import HYPERPARAMETERS

from descentlab import engine

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def numbers_in(message):
    return [float(tok) for tok in _NUMBER.findall(message)]


def raises_value_error(*args, **kwargs) -> str:
    with pytest.raises(ValueError) as excinfo:
        engine.trajectory(*args, **kwargs)
    return str(excinfo.value)


def with_(name):
    """The optimizers that have hyperparameter ``name``."""
    return [key for key, hyper in HYPERPARAMETERS.items() if name in hyper]


# --- unknown names -------------------------------------------------------------------------------


def test_unknown_optimizer_names_it_and_lists_the_choices():
    msg = raises_value_error("rosenbrock", "adamz", (0.0, 0.0), 5)
    assert "optimizer" in msg
    assert "'adamz'" in msg
    for key in engine.OPTIMIZERS:
        assert key in msg, f"choice {key!r} not listed"


def test_unknown_surface_names_it_and_lists_the_choices():
    msg = raises_value_error("rosenbrok", "gd", (0.0, 0.0), 5, lr=0.01)
    assert "problem" in msg or "surface" in msg
    assert "'rosenbrok'" in msg
    for key in ("rosenbrock", "beale", "himmelblau"):
        assert key in msg, f"choice {key!r} not listed"


@pytest.mark.parametrize(
    "optimizer, name",
    [
        ("gd", "beta1"),
        ("gd", "momentum"),
        ("adam", "momentum"),
        ("sgd", "betas"),
        ("lion", "eps"),
        ("nag", "nesterov"),
    ],
)
def test_unknown_hyperparameter(optimizer, name):
    msg = raises_value_error("rosenbrock", optimizer, (0.0, 0.0), 5, **{"lr": 1e-3, name: 0.9})
    assert name in msg
    assert optimizer in msg.lower(), "the message should name the optimizer (key or display name)"
    assert "lr" in msg, "the message should list the hyperparameters that do exist"


# --- hyperparameters out of range ----------------------------------------------------------------

# (name, bad values, finite bounds of the allowed range that the message must state)
RANGES = [
    ("lr", [-0.1, -1e-12, math.nan], [0]),
    ("beta", [1.0, -0.1], [0, 1]),
    ("beta1", [1.0, 1.5, -0.1], [0, 1]),
    ("beta2", [-0.1, 1.0], [0, 1]),
    ("eps", [0.0, -1e-8, math.nan], [0]),
    ("momentum", [-0.1], [0]),
    ("weight_decay", [-0.01, math.nan], [0]),
    ("rho", [-0.1, 1.1], [0, 1]),
    ("alpha", [-0.1], [0]),
    ("lr_decay", [-0.1], [0]),
    ("initial_accumulator_value", [-0.1], [0]),
    ("momentum_decay", [-0.1], [0]),
    # Rprop (torch's etas: 0 < etaminus < 1 < etaplus; step_sizes)
    ("eta_minus", [0.0, 1.0, 1.5, math.nan], [0, 1]),
    ("eta_plus", [1.0, 0.5, math.inf], [1]),
    ("step_size_min", [-1e-6], [0]),
    ("step_size_max", [-1.0, math.nan], [0]),
    # ASGD
    ("lambd", [-1e-4], [0]),
    ("t0", [-1.0, math.inf], [0]),
    # Adafactor (torch: beta2_decay <= 0, eps >= 0, d >= 1)
    ("beta2_decay", [0.1, math.nan], [0]),
    ("eps1", [-1e-30], [0]),
    ("eps2", [-1e-3], [0]),
    ("d", [0.5, 0.0, -1.0], [1]),
]


def _range_cases():
    for name, values, bounds in RANGES:
        for optimizer in with_(name):
            for value in values:
                yield pytest.param(
                    optimizer, name, value, bounds, id=f"{optimizer}-{name}={value!r}"
                )


@pytest.mark.parametrize("optimizer, name, value, bounds", list(_range_cases()))
def test_hyperparameter_out_of_range(optimizer, name, value, bounds):
    hyper = {"lr": 1e-3, name: value}
    msg = raises_value_error("rosenbrock", optimizer, (0.0, 0.0), 5, **hyper)
    assert name in msg
    assert repr(value) in msg, f"value {value!r} not in {msg!r}"
    found = numbers_in(msg)
    for bound in bounds:
        assert bound in found, f"allowed range bound {bound} not stated in {msg!r}"


def test_nesterov_needs_zero_dampening():
    msg = raises_value_error(
        "rosenbrock", "sgd", (0.0, 0.0), 5, lr=1e-3, momentum=0.9, dampening=0.1, nesterov=True
    )
    assert "nesterov" in msg.lower()
    assert "dampening" in msg


def test_nesterov_needs_momentum():
    msg = raises_value_error(
        "rosenbrock", "sgd", (0.0, 0.0), 5, lr=1e-3, momentum=0.0, nesterov=True
    )
    assert "nesterov" in msg.lower()
    assert "momentum" in msg


def test_rprop_step_size_min_must_not_exceed_the_max():
    """torch would clamp every step size to the max then; the engine refuses, showing both."""
    msg = raises_value_error("rosenbrock", "rprop", (0.0, 0.0), 5, step_size_min=2.0,
                             step_size_max=0.5)
    assert "step_size_min=2.0" in msg and "step_size_max=0.5" in msg
    path = engine.trajectory("himmelblau", "rprop", (0.0, 0.0), 5, step_size_min=0.5,
                             step_size_max=0.5, lr=0.1)  # equal ends: every step exactly 0.5
    np.testing.assert_allclose(np.abs(np.diff(path, axis=0))[np.diff(path, axis=0) != 0], 0.5)


def test_torchs_words_for_the_new_optimizers_bad_values():
    for optimizer, hyper, words in (("rprop", {"eta_minus": 1.5}, "Invalid eta value: eta_minus=1.5"),
                                    ("adafactor", {"d": 0.5}, "Invalid clipping threshold: d=0.5"),
                                    ("adafactor", {"eps1": -1.0}, "Invalid epsilon1 value: eps1=-1.0")):
        assert words in raises_value_error("rosenbrock", optimizer, (0.0, 0.0), 5, **hyper)


def test_nag_needs_momentum():
    """nag is torch's SGD(nesterov=True), which rejects momentum = 0."""
    msg = raises_value_error("rosenbrock", "nag", (0.0, 0.0), 5, lr=1e-3, momentum=0.0)
    assert "momentum" in msg


@pytest.mark.parametrize(
    "optimizer, hyper",
    [
        ("sgd", {"momentum": 0.9, "dampening": 0.5}),
        ("sgd", {"momentum": 0.9, "nesterov": True}),
        ("nag", {"momentum": 0.5}),
        ("adam", {"beta1": 0.0, "beta2": 0.0}),
        ("adadelta", {"rho": 1.0}),
        ("adadelta", {"rho": 0.0}),
        ("rmsprop", {"alpha": 0.0, "momentum": 0.0}),
        ("gd", {"lr": 0.0}),
        ("rprop", {"step_size_min": 0.0, "step_size_max": 0.0}),
        ("asgd", {"lambd": 0.0, "alpha": 0.0, "t0": 0.0}),
        ("adafactor", {"beta2_decay": 0.0, "eps1": 0.0, "eps2": 0.0, "d": 1.0}),
    ],
)
def test_edges_of_the_ranges_are_allowed(optimizer, hyper):
    hyper = {"lr": 1e-3, **hyper}
    path = engine.trajectory("himmelblau", optimizer, (0.0, 0.0), 5, **hyper)
    assert path.shape == (6, 2)


# --- start, steps, noise -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, shown",
    [
        ((math.nan, 0.0), "nan"),
        ((0.0, math.inf), "inf"),
        ((-math.inf, 1.0), "inf"),
        (np.array([1.0, np.nan]), "nan"),
    ],
    ids=["nan", "inf", "-inf", "array-nan"],
)
def test_start_must_be_finite(start, shown):
    msg = raises_value_error("rosenbrock", "gd", start, 5, lr=1e-3)
    assert "start" in msg
    assert shown in msg.lower()


@pytest.mark.parametrize("start", [(1.0,), (1.0, 2.0, 3.0), ()], ids=["1", "3", "0"])
def test_start_must_have_one_value_per_parameter(start):
    msg = raises_value_error("rosenbrock", "gd", start, 5, lr=1e-3)
    assert "start" in msg
    assert 2 in numbers_in(msg), "the message should say how many values are needed"


@pytest.mark.parametrize("steps", [-1, -100])
def test_steps_must_not_be_negative(steps):
    msg = raises_value_error("rosenbrock", "gd", (0.0, 0.0), steps, lr=1e-3)
    assert "steps" in msg
    assert repr(steps) in msg


@pytest.mark.parametrize("steps", [2.5, "10", None], ids=["2.5", "str", "None"])
def test_steps_must_be_an_int(steps):
    msg = raises_value_error("rosenbrock", "gd", (0.0, 0.0), steps, lr=1e-3)
    assert "steps" in msg
    assert repr(steps) in msg


def test_numpy_integer_steps_are_fine():
    assert engine.trajectory("rosenbrock", "gd", (0.0, 0.0), np.int64(4), lr=1e-3).shape == (5, 2)


@pytest.mark.parametrize("noise", [-0.1, -1e-9])
def test_noise_must_not_be_negative(noise):
    msg = raises_value_error("rosenbrock", "gd", (0.0, 0.0), 5, lr=1e-3, noise=noise)
    assert "noise" in msg
    assert repr(noise) in msg


# --- anything in range runs ----------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    optimizer=st.sampled_from(sorted(HYPERPARAMETERS)),
    surface=st.sampled_from(["rosenbrock", "beale", "himmelblau"]),
    lr=st.floats(0.0, 10.0, allow_nan=False, allow_infinity=False),
    steps=st.integers(0, 50),
    x=st.floats(-3.0, 3.0),
    y=st.floats(-3.0, 3.0),
)
def test_any_finite_lr_runs(optimizer, surface, lr, steps, x, y):
    path = engine.trajectory(surface, optimizer, (x, y), steps, lr=lr)
    assert isinstance(path, np.ndarray)
    assert path.shape == (steps + 1, 2)
    assert path.dtype == np.float64
    assert path[0, 0] == x and path[0, 1] == y
    # finite rows, then (if it diverged) NaN rows only
    finite = np.isfinite(path).all(axis=1)
    if not finite.all():
        k = int(np.argmin(finite))
        assert finite[:k].all() and np.isnan(path[k:]).all()
