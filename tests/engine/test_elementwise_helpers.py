"""The optimizers' element-wise helpers (LLVM intrinsics) against Python's own arithmetic.

The torch parity tests check them inside the rules; these pin the corner cases one by one:
NaN, signed zeros, infinities, the single rounding of the fused ones, integer arguments.
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from numba import njit

from descentlab.engine.optimizers._common import (
    add,
    addcdiv,
    addcmul,
    decayed,
    fma,
    lerp,
    maximum,
    moments,
    sign,
)

SPECIAL = (0.0, -0.0, 1.0, -2.5, 0.1, 1e-300, 3e300, math.inf, -math.inf, math.nan, 0.49, 0.5, 0.51)


def _fused(a: float, b: float, c: float) -> float:
    """a·b + c rounded once (exact rational arithmetic), with IEEE's special cases."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return a * b + c  # an infinite or NaN product: one rounding or two give the same
    if not math.isfinite(c):
        return c  # the exact product is finite, whatever a·b rounds to
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    try:
        return float(exact) if exact != 0 else a * b + c  # (keeps the sign of a zero)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def same(x: float, y: float) -> bool:
    return (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))


@njit
def _apply_all(a, b, c, d, out):
    for i in range(a.size):
        out[i, 0] = fma(a[i], b[i], c[i])
        out[i, 1] = add(a[i], b[i], c[i])
        out[i, 2] = decayed(a[i], b[i], c[i])
        out[i, 3] = addcmul(a[i], b[i], c[i], d[i])
        out[i, 4] = addcdiv(a[i], b[i], c[i], d[i])
        out[i, 5] = lerp(a[i], b[i], c[i])
        out[i, 6] = sign(a[i])
        out[i, 7] = maximum(a[i], b[i])
        out[i, 8], out[i, 9] = moments(a[i], b[i], c[i], d[i], 0.999)


def _reference(a, b, c, d):
    def lerp_(s, e, w):
        return _fused(w, e - s, s) if abs(w) < 0.5 else _fused(-(e - s), 1.0 - w, e)

    def sign_(x):
        return 1.0 if x > 0 else -1.0 if x < 0 else 0.0 if x == 0 else math.nan

    return [
        _fused(a, b, c),
        _fused(c, b, a),
        _fused(c, b, a) if c != 0.0 else a,
        _fused(d * b, c, a),
        float(np.float64(a) + np.float64(d) * np.float64(b) / np.float64(c)),
        lerp_(a, b, c),
        sign_(a),
        math.nan if math.isnan(a) or math.isnan(b) else (a if a > b else b),
        lerp_(a, c, 1.0 - d),
        _fused((1.0 - 0.999) * c, c, b * 0.999),
    ]


NAMES = ("fma", "add", "decayed", "addcmul", "addcdiv", "lerp", "sign", "maximum",
         "moments.m", "moments.v")


def test_helpers_match_python_arithmetic_on_special_values():
    quads = list(itertools.product(SPECIAL, (0.0, -0.0, 1.0, 2.0, math.nan, -math.inf), SPECIAL,
                                   (0.1, 1.0, -0.0)))
    a, b, c, d = (np.array(col) for col in zip(*quads, strict=True))
    out = np.empty((len(quads), len(NAMES)))
    with np.errstate(all="ignore"):
        _apply_all(a, b, c, d, out)
    bad = []
    for q, row in zip(quads, out, strict=True):
        with np.errstate(all="ignore"):
            ref = _reference(*q)
        for name, got, want in zip(NAMES, row, ref, strict=True):
            if not same(float(got), float(want)):
                bad.append((name, q, float(got), float(want)))
    assert not bad, bad[:10]


def test_fused_helpers_round_once():
    # 1 + 2⁻³⁰ squared: a·b has a 2⁻⁶⁰ term that two roundings lose and one keeps.
    x = 1.0 + 2.0**-30
    out = np.empty((1, len(NAMES)))
    _apply_all(np.array([x]), np.array([x]), np.array([-1.0]), np.array([1.0]), out)
    assert out[0, 0] == 2.0**-29 + 2.0**-60  # fma: exact
    assert x * x - 1.0 == 2.0**-29  # the unfused product loses it


def test_integer_arguments_are_converted_to_float():
    @njit
    def with_ints():
        return fma(2, 3, 1), sign(-4), maximum(1, 2.5), decayed(1, 2, 0)

    assert with_ints() == (7.0, -1.0, 2.5, 1.0)


@pytest.mark.parametrize("helper", [fma, sign, maximum])
def test_helpers_are_intrinsics_with_no_compile_of_their_own(helper):
    # An intrinsic is code written at each call site: no dispatcher, nothing to compile.
    assert not hasattr(helper, "compile")
