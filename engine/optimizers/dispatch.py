"""One compiled entry point for every optimizer, chosen by its integer id at run time.

Its branches are a fixed chain of ``CAPACITY`` slots, ``_STEP_k`` bound to the registry's
k-th module's ``step`` (``MODULES``, id = place): a new optimizer needs no line here until
the registry outgrows the slots.

The race kernels of surfaces, formulas and datasets all call this one compiled function,
through its address (``OPTIMIZER_STEP``), so the thirteen update rules are compiled once
(each further copy cost seconds of first-launch compile). It takes the run's rows as raw
pointers: a call then passes eight scalars instead of five exploded array structures
(≈ 40 arguments; engine.compile.pointers), which kept a non-inlined call within a few nanoseconds of the fully
inlined kernel.
"""

import numpy as np
from numba import njit, types

from ..compile.compiled_call import CompiledFunction
from ..compile.pointers import rows_at
from . import MAX_HYPER, MODULES, STATE_SCALARS, STATE_VECTORS
from .lbfgs import LBFGS_STEP

CAPACITY = 24  # slots in optimizer_step's chain; raise it (and add its slots) to grow past it
assert len(MODULES) <= CAPACITY, (
    f"{len(MODULES)} optimizers registered but optimizer_step has {CAPACITY} slots: raise "
    "CAPACITY in engine/optimizers/dispatch.py and add its _STEP_ slots and branches"
)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _no_step(theta, g, vec, sc, h, t):
    """An empty slot's step: an id past the registry takes no step."""


# Slot k is MODULES[k].step (id k). Globals, because Numba freezes them into the compiled
# chain and inlines each slot's step in its branch, as the hand-written chain did: a first
# compile of ~2.0 s CPU, where a generated LLVM switch over step subroutines took ~3.1 s.
(
    _STEP_0,
    _STEP_1,
    _STEP_2,
    _STEP_3,
    _STEP_4,
    _STEP_5,
    _STEP_6,
    _STEP_7,
    _STEP_8,
    _STEP_9,
    _STEP_10,
    _STEP_11,
    _STEP_12,
    _STEP_13,
    _STEP_14,
    _STEP_15,
    _STEP_16,
    _STEP_17,
    _STEP_18,
    _STEP_19,
    _STEP_20,
    _STEP_21,
    _STEP_22,
    _STEP_23,
) = tuple(m.step for m in MODULES) + (_no_step,) * (CAPACITY - len(MODULES))


# The one signature it is compiled for (OPTIMIZER_STEP below): argument types only, as a call
# site's cache lookup keys it.
ARG_TYPES = (types.int64, types.int64, *[types.CPointer(types.float64)] * 5, types.float64)


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def optimizer_step(oid, P, theta_ptr, g_ptr, vec_ptr, sc_ptr, h_ptr, t):
    """Apply optimizer ``oid``'s update to the P parameters at ``theta_ptr``, in place.

    The pointers (from :func:`data_pointer`) address one run's rows: θ and its gradient g
    (P floats each; g may be overwritten), the state vectors (STATE_VECTORS × P), the
    state scalars (STATE_SCALARS) and the hyperparameters (MAX_HYPER, in spec order).
    ``t`` is the 1-based step number as a float.
    """
    theta = rows_at(theta_ptr, 1, P)[0]
    g = rows_at(g_ptr, 1, P)[0]
    vec = rows_at(vec_ptr, STATE_VECTORS, P)
    sc = rows_at(sc_ptr, 1, STATE_SCALARS)[0]
    h = rows_at(h_ptr, 1, MAX_HYPER)[0]
    if oid == 0:
        _STEP_0(theta, g, vec, sc, h, t)
    elif oid == 1:
        _STEP_1(theta, g, vec, sc, h, t)
    elif oid == 2:
        _STEP_2(theta, g, vec, sc, h, t)
    elif oid == 3:
        _STEP_3(theta, g, vec, sc, h, t)
    elif oid == 4:
        _STEP_4(theta, g, vec, sc, h, t)
    elif oid == 5:
        _STEP_5(theta, g, vec, sc, h, t)
    elif oid == 6:
        _STEP_6(theta, g, vec, sc, h, t)
    elif oid == 7:
        _STEP_7(theta, g, vec, sc, h, t)
    elif oid == 8:
        _STEP_8(theta, g, vec, sc, h, t)
    elif oid == 9:
        _STEP_9(theta, g, vec, sc, h, t)
    elif oid == 10:
        _STEP_10(theta, g, vec, sc, h, t)
    elif oid == 11:
        _STEP_11(theta, g, vec, sc, h, t)
    elif oid == 12:
        _STEP_12(theta, g, vec, sc, h, t)
    elif oid == 13:
        _STEP_13(theta, g, vec, sc, h, t)
    elif oid == 14:
        _STEP_14(theta, g, vec, sc, h, t)
    elif oid == 15:
        _STEP_15(theta, g, vec, sc, h, t)
    elif oid == 16:
        _STEP_16(theta, g, vec, sc, h, t)
    elif oid == 17:
        _STEP_17(theta, g, vec, sc, h, t)
    elif oid == 18:
        _STEP_18(theta, g, vec, sc, h, t)
    elif oid == 19:
        _STEP_19(theta, g, vec, sc, h, t)
    elif oid == 20:
        _STEP_20(theta, g, vec, sc, h, t)
    elif oid == 21:
        _STEP_21(theta, g, vec, sc, h, t)
    elif oid == 22:
        _STEP_22(theta, g, vec, sc, h, t)
    elif oid == 23:
        _STEP_23(theta, g, vec, sc, h, t)


# The race kernels call the step through its address (their argument ``steps_at`` =
# step_addresses()): compiled once, not once more inside each race kernel.
OPTIMIZER_STEP = CompiledFunction(optimizer_step, types.none, lambda: ARG_TYPES)
call_optimizer_step = OPTIMIZER_STEP.call


# Per optimizer id: whether its rule evaluates the problem itself (SPEC.evaluates: L-BFGS).
EVALUATES = np.array([m.SPEC.evaluates for m in MODULES], dtype=np.bool_)


def step_addresses(opt_ids: np.ndarray) -> tuple[int, int]:
    """What the race kernels take as ``steps_at``: the addresses of :data:`OPTIMIZER_STEP`
    and of L-BFGS's step (which calls the kernel back: engine.optimizers.lbfgs), for a race
    whose runs have the optimizer ids ``opt_ids``. L-BFGS's is 0 (never called) until a race
    has an L-BFGS run: a first launch without one does not wait for its compile."""
    lbfgs = LBFGS_STEP.compiled_address()
    if not lbfgs and EVALUATES[opt_ids[(opt_ids >= 0) & (opt_ids < EVALUATES.size)]].any():
        lbfgs = LBFGS_STEP.address()
    return OPTIMIZER_STEP.address(), lbfgs
