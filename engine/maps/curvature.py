"""The curvature a step feels: the local quadratic model at a run's point, in numbers.

At θ the loss is, to second order, ``f(θ + d) ≈ f(θ) + gᵀd + ½ dᵀHd``. This module turns the
exact Hessian (``engine.hessian``) into what the map's curvature view draws (View → Curvature,
key H; ``gui/map/curvature_layer.py``) and what the lr slider and the hyperparameter map mark:

- :func:`curvature_at`: the Hessian in the map's plane (a 2-parameter problem's own; a bigger
  model's projected on the map's slice, ``Bᵀ H B`` with B the slice's two directions), its
  eigenvalues λ₁ ≥ λ₂ and eigen-directions, the condition number κ = |λ|max / |λ|min, Newton's
  step −H⁻¹g in the plane, and 2/λ_max of the *full* Hessian (gradient descent's stability
  limit at this point: on the quadratic model GD converges for lr < 2/λ_max and diverges above);
- :func:`model_curves`: the quadratic model's level curve through a point at distance R along
  the flattest direction — an ellipse where both λ > 0, the two hyperbola branches and their
  asymptotes where the signs differ (a saddle);
- :func:`lr_limit` and :func:`stable_outline`: the largest stable lr of GD, SGD with (heavy-ball)
  momentum and the EMA momentum at a given λ_max (heavy ball: 0 ≤ β < 1, 0 < α·λ < 2(1 + β)),
  and the outline of that region over a hyperparameter map's two axes.

Pure NumPy; no Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..optimizers._explain import fmt_number
from ..problems.convert import as_problem
from ..problems.hessian import MAX_HESSIAN_PARAMS, hessian
from ..translatable import QT_TRANSLATE_NOOP, Filled

__all__ = ["Curvature", "ModelCurves", "curvature_at", "lr_limit", "model_curves", "stable_outline",
           "step_regime"]

TINY = 1e-12  # |λ| below this (relative to the largest |λ|) counts as zero curvature


@dataclass(frozen=True)
class Curvature:
    """The local quadratic model at one point, in the map's plane (see the module's docstring)."""

    point: np.ndarray  # (2,) the point on the map
    hessian: np.ndarray  # (2, 2) the Hessian in the map's plane
    eigenvalues: np.ndarray  # (2,) λ₁ ≥ λ₂
    directions: np.ndarray  # (2, 2) column k: the unit eigen-direction of λₖ (map coordinates)
    kappa: float  # |λ|max / |λ|min over the plane (∞ when one is zero)
    newton: np.ndarray | None  # (2,) Newton's step −H⁻¹g in the plane; None where H is singular
    lam_max: float  # the full Hessian's largest eigenvalue (all P parameters)
    limit: float  # 2 / lam_max: gradient descent's stable lr here (∞ if lam_max ≤ 0)
    projected: bool  # True: a bigger model's Hessian projected on the map's slice

    @property
    def saddle(self) -> bool:
        return bool(self.eigenvalues[0] > 0.0 > self.eigenvalues[1])

    @property
    def negative(self) -> bool:
        """Some curvature in the plane is negative (a saddle, or a hilltop)."""
        return bool(self.eigenvalues[1] < 0.0)

    def words(self):
        """What the curvature is, in a sentence (a marked text)."""
        l1, l2 = (float(v) for v in self.eigenvalues)
        if l1 > 0.0 > l2:
            return QT_TRANSLATE_NOOP("Curvature", "a saddle: the loss curves up along λ₁ and down along λ₂ "
                                     "(negative curvature); Newton's step heads for the saddle point")
        if l1 < 0.0:
            return QT_TRANSLATE_NOOP("Curvature", "a hilltop: the loss curves down in every direction "
                                     "(negative curvature); Newton's step climbs to the top")
        if l2 <= TINY * max(abs(l1), 1.0):
            return QT_TRANSLATE_NOOP("Curvature", "flat along λ₂: no curvature there, the model is a valley")
        if self.kappa > 10.0:
            return Filled(QT_TRANSLATE_NOOP("Curvature", "a narrow bowl: %1× steeper along λ₁ than along λ₂"),
                          fmt_number(self.kappa))
        return QT_TRANSLATE_NOOP("Curvature", "a round bowl: nearly the same curvature in every direction")


def _plane_basis(plane, P: int) -> np.ndarray | None:
    """The (P, 2) directions of a slice (θ = origin + α·u + β·v), or None: the identity."""
    u, v = getattr(plane, "u", None), getattr(plane, "v", None)
    if u is None or v is None:
        return None
    B = np.c_[np.asarray(u, float), np.asarray(v, float)]
    if B.shape != (P, 2):
        raise ValueError(f"Invalid plane: its directions have shape {B.shape} (allowed: ({P}, 2))")
    return B


def curvature_at(problem, theta, plane=None, grad=None) -> Curvature:
    """The local quadratic model of ``problem`` at ``theta`` (P values).

    ``plane``: the map's plane (``engine.maps.planes``); a slice's directions project the
    Hessian (``Bᵀ H B``) and the gradient; other planes (and None) are the problem's own two
    parameters. ``grad``: the gradient at θ if known (else evaluated). ValueError for a problem
    without Hessians (more than 64 parameters), a θ of the wrong shape, a non-finite θ, or a
    problem of more than 2 parameters without a slice plane.
    """
    p = as_problem(problem)
    P = int(p.n_params)
    if P > MAX_HESSIAN_PARAMS:
        raise ValueError(f"Invalid problem: {P} parameters (allowed: at most {MAX_HESSIAN_PARAMS} for a Hessian)")
    theta = np.asarray(theta, dtype=float).ravel()
    if theta.shape != (P,):
        raise ValueError(f"Invalid theta: shape {theta.shape} (allowed: ({P},))")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"Invalid theta: {theta.tolist()[:4]} (allowed: finite values)")
    H = hessian(p, theta)
    if grad is None:
        grad = p.evaluate(theta[None, :])[1]
    g = np.asarray(grad, dtype=float).reshape(P)
    B = _plane_basis(plane, P) if plane is not None else None
    if B is None and P != 2:
        raise ValueError(f"Invalid plane: {P} parameters need a slice plane (allowed: 2 parameters, "
                         "or a plane with directions u, v)")
    if B is None:
        H2, g2, point = H, g, theta.copy()
    else:
        H2, g2 = B.T @ H @ B, B.T @ g
        point = np.asarray(plane.to_map(theta[None, :]), float).reshape(2)
    a_, b_, d_ = float(H2[0, 0]), 0.5 * (float(H2[0, 1]) + float(H2[1, 0])), float(H2[1, 1])
    if not all(math.isfinite(v) for v in (a_, b_, d_)):
        raise ValueError(f"Invalid theta: the Hessian at {theta.tolist()[:4]} is not finite")
    # the symmetric 2×2 in closed form: H = R(φ)·diag(λ₁, λ₂)·R(φ)ᵀ, λ₁ ≥ λ₂
    mean, half = 0.5 * (a_ + d_), math.hypot(0.5 * (a_ - d_), b_)
    l1, l2 = mean + half, mean - half
    phi = 0.5 * math.atan2(2.0 * b_, a_ - d_)
    c, s_ = math.cos(phi), math.sin(phi)
    e1, e2 = (c, s_), (-s_, c)
    if abs(e1[1]) > abs(e1[0]) and e1[1] < 0 or abs(e1[0]) >= abs(e1[1]) and e1[0] < 0:
        e1 = (-e1[0], -e1[1])  # a fixed sign: the axes do not flip from one frame to the next
    if abs(e2[1]) > abs(e2[0]) and e2[1] < 0 or abs(e2[0]) >= abs(e2[1]) and e2[0] < 0:
        e2 = (-e2[0], -e2[1])
    lam = np.array([l1, l2])
    vec = np.array([[e1[0], e2[0]], [e1[1], e2[1]]])
    big, small = max(abs(l1), abs(l2)), min(abs(l1), abs(l2))
    kappa = math.inf if small <= TINY * max(big, 1e-300) else big / small
    newton = None
    if big > 0.0 and small > TINY * big:
        g1 = e1[0] * float(g2[0]) + e1[1] * float(g2[1])
        g2_ = e2[0] * float(g2[0]) + e2[1] * float(g2[1])
        newton = -np.array([e1[0] * g1 / l1 + e2[0] * g2_ / l2, e1[1] * g1 / l1 + e2[1] * g2_ / l2])
    if B is None:
        lam_max = l1
    else:
        full = np.linalg.eigvalsh(0.5 * (H + H.T))
        if not np.all(np.isfinite(full)):
            raise ValueError(f"Invalid theta: the Hessian at {theta.tolist()[:4]} is not finite")
        lam_max = float(full[-1])
    return Curvature(point=point, hessian=np.asarray(H2, float), eigenvalues=lam, directions=vec, kappa=kappa,
                     newton=newton, lam_max=lam_max, limit=2.0 / lam_max if lam_max > 0.0 else math.inf,
                     projected=B is not None)


@dataclass(frozen=True)
class ModelCurves:
    """Polylines of the quadratic model's level curves in map coordinates (NaN-separated)."""

    positive: tuple[np.ndarray, np.ndarray]  # the ellipse, or the branches where q > 0
    negative: tuple[np.ndarray, np.ndarray]  # a saddle's branches where q < 0 (else empty)
    asymptotes: tuple[np.ndarray, np.ndarray]  # a saddle's zero-curvature lines (else empty)
    axes: np.ndarray  # (2, 2): half-length of each drawn axis times its direction (columns)


_T = np.linspace(0.0, 2.0 * np.pi, 73)
_ELLIPSE = np.c_[np.cos(_T), np.sin(_T)]  # (73, 2): the unit circle
_S = np.linspace(-1.2, 1.2, 36)
_GAP = np.array([np.nan])
# a saddle's unit hyperbolas in (u, v): (u)² − (v)² = +1 across E₁ and = −1 across E₂
_RISING = np.c_[np.r_[np.cosh(_S), _GAP, -np.cosh(_S)], np.r_[np.sinh(_S), _GAP, np.sinh(_S)]]
_FALLING = np.c_[np.r_[np.sinh(_S), _GAP, np.sinh(_S)], np.r_[np.cosh(_S), _GAP, -np.cosh(_S)]]
_ASYMPTOTES = 1.8 * np.array([[-1.0, -1.0], [1.0, 1.0], [np.nan, np.nan], [-1.0, 1.0], [1.0, -1.0]])


def model_curves(c: Curvature, radius: float) -> ModelCurves:
    """The level curve of ``q(d) = ½ dᵀHd`` through ``radius`` along the flattest direction,
    centred at ``c.point``: semi-axis ``radius·sqrt(|λ|min / |λₖ|)`` along direction k (the
    steep direction short, the flat one long), the axes drawn ``radius`` long."""
    r = float(radius)
    if not (r > 0.0 and math.isfinite(r)):
        raise ValueError(f"Invalid radius: {radius!r} (allowed: a finite number > 0)")
    empty = (np.empty(0), np.empty(0))
    lam, E, p = c.eigenvalues, c.directions, c.point
    a1, a2 = abs(float(lam[0])), abs(float(lam[1]))
    big, small = max(a1, a2), min(a1, a2)
    if big <= 0.0:
        return ModelCurves(empty, empty, empty, E * r)
    if small <= TINY * big:  # one direction without curvature: the flat one long, the other half
        semi = (0.5 * r, r) if a2 == small else (r, 0.5 * r)
    else:
        semi = (r * math.sqrt(small / a1), r * math.sqrt(small / a2))
    # map point = p + E · diag(semi) · (u, v)
    M = E * np.array(semi)  # columns scaled

    def to_map(uv):
        pts = uv @ M.T + p
        return pts[:, 0], pts[:, 1]

    if not c.negative or lam[0] < 0.0:  # a bowl or a hilltop: an ellipse
        return ModelCurves(to_map(_ELLIPSE), empty, empty, E * r)
    return ModelCurves(to_map(_RISING), to_map(_FALLING), to_map(_ASYMPTOTES), E * r)


def step_regime(lr: float, lam: float):
    """What a plain gradient step of size ``lr`` does along a direction of curvature ``lam``:
    the factor 1 − lr·λ by which that component of the distance to the model's centre changes
    each step, in words."""
    q = float(lr) * float(lam)
    f = fmt_number(q)
    if not (math.isfinite(q)):
        return Filled(QT_TRANSLATE_NOOP("Curvature", "lr·λ = %1"), f)
    if q < 0.0:
        return Filled(QT_TRANSLATE_NOOP("Curvature", "lr·λ = %1 < 0: pushed away, downhill"), f)
    if q < 0.1:
        return Filled(QT_TRANSLATE_NOOP("Curvature", "lr·λ = %1 ≪ 1: crawls"), f)
    if q <= 1.0:
        return Filled(QT_TRANSLATE_NOOP("Curvature", "lr·λ = %1 ≤ 1: no overshoot"), f)
    if q < 2.0:
        return Filled(QT_TRANSLATE_NOOP("Curvature", "lr·λ = %1 > 1: overshoots, zig-zags"), f)
    return Filled(QT_TRANSLATE_NOOP("Curvature", "lr·λ = %1 > 2: diverges"), f)


def lr_limit(optimizer: str, hyper: dict, lam_max: float) -> float | None:
    """The largest stable lr of ``optimizer`` on a quadratic whose largest curvature is
    ``lam_max`` (``math.inf`` when ``lam_max ≤ 0``); None where no such simple limit is known
    (adaptive methods, Nesterov, …).

    - ``gd`` (and ``sgd`` without momentum): lr·(λ + wd) < 2;
    - ``sgd`` with momentum μ (torch's heavy ball, v = μv + (1−τ)g, no Nesterov): 0 ≤ μ < 1,
      lr·(1−τ)·(λ + wd) < 2(1 + μ);
    - ``momentum`` (the note's EMA form, v = βv + (1−β)g): lr·(1−β)·λ < 2(1 + β).
    """
    lam = float(lam_max) + float(hyper.get("weight_decay", 0.0) or 0.0)
    if optimizer == "gd":
        gain, cap = 1.0, 2.0
    elif optimizer == "sgd":
        mu = float(hyper.get("momentum", 0.0))
        if hyper.get("nesterov", 0.0) and mu != 0.0:
            return None
        if not 0.0 <= mu < 1.0:
            return None
        gain, cap = (1.0 - float(hyper.get("dampening", 0.0))) if mu != 0.0 else 1.0, 2.0 * (1.0 + mu)
    elif optimizer == "momentum":
        beta = float(hyper.get("beta", 0.0))
        if not 0.0 <= beta < 1.0:
            return None
        gain, cap = 1.0 - beta, 2.0 * (1.0 + beta)
    else:
        return None
    if lam <= 0.0 or gain <= 0.0:
        return math.inf
    return cap / (gain * lam)


def stable_outline(optimizer: str, hyper: dict, lam_max: float, x: tuple[str, np.ndarray],
                   y: tuple[str, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """The edge of the stable region (``lr < lr_limit``) over a hyperparameter map's axes
    ``x = (name, values)`` and ``y = (name, values)`` (``y=None``: one row), as hyperparameter
    values: (xs, ys), one point per value of the axis that is not lr (ys NaN for one row).
    None if neither axis is ``lr``, or the optimizer has no known limit, or the limit is
    infinite everywhere on the map."""
    x_name, xv = x[0], np.asarray(x[1], dtype=float)
    y_name, yv = (y[0], np.asarray(y[1], dtype=float)) if y is not None else (None, None)
    if x_name == "lr" and y_name is None:
        limit = lr_limit(optimizer, hyper, lam_max)
        if limit is None or not math.isfinite(limit):
            return None
        return np.array([limit]), np.array([np.nan])
    if "lr" not in (x_name, y_name):
        return None
    other, values = (y_name, yv) if x_name == "lr" else (x_name, xv)
    limits = np.array([np.nan if (v := lr_limit(optimizer, {**hyper, other: float(o)}, lam_max)) is None
                       else v for o in values], dtype=float)
    limits[~np.isfinite(limits)] = np.nan
    if not np.isfinite(limits).any():
        return None
    return (limits, values) if x_name == "lr" else (values, limits)
