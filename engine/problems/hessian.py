"""``engine.hessian(problem, theta)``: the exact Hessian of any problem that offers one.

Catalogue surfaces: analytic (``engine.surface.functions``, ``_h_<key>`` beside each f and
∇f). Typed formulas: the expression tree differentiated twice as data by one compiled
kernel (``engine.formula.kernels.program_fgh``). Datasets: forward-mode derivatives of the
exact gradient (``engine.data.hessian``), for at most 64 parameters.
"""

from __future__ import annotations

import numpy as np

from ..quoted import quoted
from .convert import as_problem

MAX_HESSIAN_PARAMS = 64  # the datasets' limit (engine.data.hessian); surfaces and formulas have 2


def hessian_size(problem) -> int:
    """P if ``problem`` gives exact Hessians for Newton runs (a ``run_hessian`` method and at
    most 64 parameters), else 0: the size of a race's ``RunState.hess`` rows."""
    P = int(problem.n_params)
    return P if callable(getattr(problem, "run_hessian", None)) and P <= MAX_HESSIAN_PARAMS else 0


def hessian(problem, theta) -> np.ndarray:
    """The (P, P) float64 Hessian of ``problem``'s loss at ``theta`` (P values).

    ``problem``: a surface key, a :class:`~engine.Surface` or a problem object with a
    ``hessian`` method (surfaces, formulas, datasets of at most 64 parameters); ValueError
    otherwise, and for a θ of the wrong shape.
    """
    p = as_problem(problem)
    method = getattr(p, "hessian", None)
    if not callable(method):
        raise ValueError(f"no Hessian for {quoted(p)}: it has no hessian(theta) method")
    P = int(p.n_params)
    arr = np.asarray(theta, dtype=float)
    if arr.shape != (P,):
        raise ValueError(f"Invalid theta: shape {arr.shape} (allowed: ({P},))")
    H = np.asarray(method(arr), dtype=np.float64)
    if H.shape != (P, P):
        raise ValueError(f"the problem's hessian gave shape {H.shape}, not ({P}, {P})")
    return H
