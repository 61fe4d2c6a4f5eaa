"""A tiny counter-based random generator for gradient noise, one stream per run.

Each run owns a 64-bit state, so its noise does not depend on which other runs share the
race or on the order the kernel visits them: same scene and seed, same numbers.
SplitMix64 (Steele, Lea & Flood, OOPSLA 2014) for bits, Box–Muller for normals.
"""

import math

import numpy as np
from numba import njit

GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # SplitMix64's increment
_MUL1 = np.uint64(0xBF58476D1CE4E5B9)
_MUL2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_POW_M53 = 2.0**-53


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def mix64(z):
    """SplitMix64's finaliser: 64 well-mixed bits from a uint64 (the one copy of it)."""
    z = (z ^ (z >> _S30)) * _MUL1
    z = (z ^ (z >> _S27)) * _MUL2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def next_u64(state, r):
    state[r] += GOLDEN
    return mix64(state[r])


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def next_normal(state, r):
    """One standard normal draw from run ``r``'s stream."""
    u1 = (float(next_u64(state, r) >> _S11) + 1.0) * _TWO_POW_M53  # (0, 1]
    u2 = float(next_u64(state, r) >> _S11) * _TWO_POW_M53  # [0, 1)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def stream_seed(seed: int, run_uid: int) -> int:
    """The starting state of a run's stream, from the scene seed and the run's id."""
    mask = (1 << 64) - 1
    z = (seed * int(GOLDEN) + run_uid * 0xD1B54A32D192ED03 + 0x2545F4914F6CDD1D) & mask
    return int(mix64(np.uint64(z)))
