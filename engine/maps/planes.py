"""Map planes: the 2-D plane a problem's runs are drawn on, and the loss over it.

- :class:`SurfacePlane`: a surface's own (x, y);
- :class:`ParameterPlane`: a 2-parameter model's (θ₁, θ₂); the field is its true training loss;
- :class:`SlicePlane`: a bigger model: a 2-D slice through ``origin`` along two random
  directions, normalised per layer (Li et al. 2018) or not; points are projected onto it by
  least squares;
- :class:`FittedPlane`: a bigger model on the plane its runs' paths live in
  (:func:`path_plane`: through their common start, along the first two principal directions
  of their displacements; :class:`PathPlane` says how much of the movement it holds).

Each gives its ``domain`` (xmin, xmax, ymin, ymax), ``to_map`` (k × P parameters → k × 2
map points), ``from_map`` (a map point → parameters), ``field(xs, ys)`` (the loss on a grid,
``Z[j, i]``), its ``minima`` on the map, ``minima_values`` and ``f_min``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MapMinimum:
    x: float
    y: float
    is_global: bool


class MapPlane:
    """A problem's two parameters are the map's two axes (no projection)."""

    def __init__(self, problem):
        self.problem = problem

    @property
    def domain(self) -> tuple[float, float, float, float]:
        return self.problem.domain

    def minima(self) -> list[MapMinimum]:
        return []

    @property
    def minima_values(self) -> tuple[float, ...]:
        return ()

    @property
    def f_min(self) -> float:
        return self.problem.f_min

    def field(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return self.problem.loss_grid(xs, ys)

    def to_map(self, points: np.ndarray) -> np.ndarray:
        return np.asarray(points, dtype=float)

    def from_map(self, x: float, y: float) -> np.ndarray:
        return np.array([x, y], dtype=float)


class SurfacePlane(MapPlane):
    """A loss surface (``engine.SurfaceProblem``) over its own (x, y)."""

    @property
    def domain(self):
        return self.problem.surface.domain

    def minima(self):
        return [MapMinimum(m.x, m.y, m.is_global) for m in self.problem.surface.minima]

    @property
    def minima_values(self):
        return tuple(self.problem.minima_values)


class ParameterPlane(MapPlane):
    """A 2-parameter model (``engine.DatasetProblem``) over its parameters."""

    def minima(self):
        return [MapMinimum(float(m[0]), float(m[1]), True) for m in self.problem.minima]

    @property
    def minima_values(self):
        p = self.problem
        return tuple(float(v) for v in p.loss(p.minima)) if p.minima.size else ()


class SlicePlane(MapPlane):
    """``origin + α·u + β·v`` for a model with many parameters; α, β in [−1, 1].

    ``normalised``: u and v normalised per layer (Li et al. 2018, the default), or plain
    random directions (:func:`random_directions`)."""

    def __init__(self, problem, origin: np.ndarray, seed: int = 0, normalised: bool = True):
        super().__init__(problem)
        self.origin = np.asarray(origin, dtype=float)
        self.normalised = bool(normalised)
        if self.normalised:
            self.u, self.v = problem.plane_directions(seed, self.origin)
        else:
            self.u, self.v = random_directions(problem, seed, self.origin)
        self._pinv = np.linalg.pinv(np.c_[self.u, self.v])

    @property
    def domain(self):
        return (-1.0, 1.0, -1.0, 1.0)

    def field(self, xs, ys):
        return plane_loss(self.problem, self.origin, self.u, self.v, xs, ys)

    def to_map(self, points):
        pts = np.asarray(points, dtype=float).reshape(-1, self.origin.size)
        return (pts - self.origin) @ self._pinv.T

    def from_map(self, x, y):
        return self.origin + x * self.u + y * self.v


# ------------------------------------------------------------------ planes for many parameters
FIELD_THREADS = 2  # the loss over a plane is computed on this many threads (the kernel releases the GIL)


def plane_loss(problem, origin, u, v, xs, ys, threads: int = FIELD_THREADS) -> np.ndarray:
    """``Z[j, i] = L(origin + xs[i]·u + ys[j]·v)`` (``problem.loss_plane``), its rows shared
    between ``threads`` threads: the dataset kernels release the GIL, so two cores halve it."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    parts = [p for p in np.array_split(np.arange(ys.size), max(1, min(int(threads), ys.size))) if p.size]
    if len(parts) <= 1:
        return problem.loss_plane(origin, u, v, xs, ys)
    with ThreadPoolExecutor(len(parts)) as pool:
        rows = list(pool.map(lambda p: problem.loss_plane(origin, u, v, xs, ys[p]), parts))
    return np.vstack(rows)


def random_directions(problem, seed: int = 0, origin=None) -> tuple[np.ndarray, np.ndarray]:
    """Two plain random directions (no per-layer normalisation): orthogonal, each as long as
    ``origin`` (1 if ``origin`` is 0), so α, β ∈ [−1, 1] reach as far as the
    filter-normalised plane's."""
    origin = problem.default_start if origin is None else np.asarray(origin, dtype=float)
    rng = np.random.default_rng([int(seed), 0x5A4D])
    u, v = rng.standard_normal((2, problem.n_params))
    v = v - (v @ u) / (u @ u) * u
    scale = float(np.linalg.norm(origin)) or 1.0
    return u * (scale / np.linalg.norm(u)), v * (scale / np.linalg.norm(v))


@dataclass(frozen=True, eq=False)
class PathPlane:
    """The plane the runs' paths live in (:func:`path_plane`).

    ``origin`` (P,): the runs' common start; ``directions`` (2, P): orthonormal rows, the
    first two principal directions of the displacements from the start; ``explained``: the
    fraction of the total squared displacement the plane holds (0…1); ``points``: how many
    path points it was fitted to.
    """

    origin: np.ndarray
    directions: np.ndarray
    explained: float
    points: int = 0

    def to_plane(self, theta) -> tuple:
        """(a, b): the coordinates of θ (P,) on the plane, or two arrays for θ (k, P)."""
        arr = np.asarray(theta, dtype=float)
        if arr.shape[-1:] != self.origin.shape:
            raise ValueError(f"Invalid theta: shape {arr.shape} (allowed: (..., {self.origin.size}))")
        ab = (arr - self.origin) @ self.directions.T
        if arr.ndim == 1:
            return float(ab[0]), float(ab[1])
        return ab[..., 0], ab[..., 1]

    def from_plane(self, a, b) -> np.ndarray:
        """origin + a·d₁ + b·d₂ (a point for scalars, rows for arrays)."""
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return self.origin + a[..., None] * self.directions[0] + b[..., None] * self.directions[1]


def path_plane(paths, start, like: PathPlane | None = None) -> PathPlane:
    """The plane through ``start`` spanned by the first two principal directions of every
    run's displacements from it (Li et al. 2018 take one run's path around its end; several
    runs need their common start).

    ``paths``: a sequence of arrays (n_i, P), one per run (or one array (n, P)); rows that
    are not finite (a diverged run's last steps) are left out. ``like``: an earlier plane
    whose orientation the new one keeps (no flips from one refit to the next); without it,
    each direction points the way the paths go on average. A path that never leaves the
    start cannot choose a plane: ``ValueError``.
    """
    start = np.asarray(start, dtype=float)
    if start.ndim != 1 or start.size < 2 or not np.all(np.isfinite(start)):
        raise ValueError(f"Invalid start: shape {start.shape} (allowed: a finite vector of >= 2 parameters)")
    P = start.size
    if isinstance(paths, np.ndarray) and paths.ndim == 2:
        paths = [paths]
    rows = []
    for i, path in enumerate(paths):
        arr = np.asarray(path, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != P:
            raise ValueError(f"Invalid paths[{i}]: shape {arr.shape} (allowed: (n, {P}), as the start)")
        rows.append(arr[np.isfinite(arr).all(axis=1)] - start)
    D = np.concatenate(rows) if rows else np.empty((0, P))
    total = float(np.einsum("ij,ij->", D, D)) if D.size else 0.0
    if not total > 0.0 or not np.isfinite(total):
        raise ValueError(f"Invalid paths: {len(D)} finite points, none away from the start "
                         f"(allowed: paths that move)")
    if len(D) > P:  # the P × P second moment; else the n × n Gram matrix
        top, dirs = _top_two(D.T @ D)
    else:
        values, vectors = np.linalg.eigh(D @ D.T)
        order = np.argsort(values)[::-1][:2]
        top = values[order]
        dirs = np.zeros((2, P))
        for k, j in enumerate(order):
            if values[j] > 1e-13 * total:
                dirs[k] = D.T @ vectors[:, j] / np.sqrt(values[j])
        dirs = _orthonormal(dirs)
    explained = float(min(1.0, max(0.0, top.clip(min=0.0).sum() / total)))
    for k in range(2):
        ref = (D @ dirs[k]).sum() if like is None else like.directions[k] @ dirs[k]
        if ref < 0:
            dirs[k] = -dirs[k]
    return PathPlane(start.copy(), dirs, explained, len(D))


def _top_two(G: np.ndarray, block: int = 8, tol: float = 1e-13, most: int = 500):
    """The two largest eigenvalues of the symmetric G (P × P) and their eigenvectors (2, P).

    Subspace iteration with a block of ``block`` vectors and a Rayleigh–Ritz step: a path's
    spectrum falls fast, so a few products G·Q (cheap) replace a full ``eigh`` (whose
    threaded LAPACK crawls on a busy machine); ``eigh`` if it has not converged in ``most``.
    """
    P = G.shape[0]
    k = min(block, P)
    Q = np.linalg.qr(np.random.default_rng(0x9CA).standard_normal((P, k)))[0]
    last = None
    for _ in range(most):
        Q = np.linalg.qr(G @ Q)[0]
        values, small = np.linalg.eigh(Q.T @ G @ Q)
        top = values[::-1][:2]
        if last is not None and np.all(np.abs(top - last) <= tol * max(abs(values[-1]), 1e-300)):
            vecs = Q @ small[:, ::-1][:, :2]
            return top, _orthonormal(vecs.T)
        last = top
    values, vectors = np.linalg.eigh(G)
    return values[::-1][:2], vectors[:, ::-1][:, :2].T.copy()


def _orthonormal(dirs: np.ndarray) -> np.ndarray:
    """Rows made orthonormal (Gram–Schmidt); a zero row is replaced by a unit vector
    orthogonal to the others (the first coordinate axis that is not in their span)."""
    out = np.zeros_like(dirs)
    axes = iter(np.eye(dirs.shape[1]))
    for k, d in enumerate(dirs):
        while True:
            d = d - out[:k].T @ (out[:k] @ d)
            n = np.linalg.norm(d)
            if n > 1e-8:
                out[k] = d / n
                break
            d = next(axes)
    return out


class FittedPlane(SlicePlane):
    """A model with many parameters on the plane its runs' paths live in (:class:`PathPlane`):
    ``origin + a·d₁ + b·d₂`` with orthonormal d₁, d₂, so a and b are distances in parameter
    space. The domain covers the projected paths with a margin."""

    MARGIN = 0.25  # of the paths' extent on each side

    def __init__(self, problem, fit: PathPlane, paths=()):
        MapPlane.__init__(self, problem)
        self.fit = fit
        self.origin = fit.origin
        self.u, self.v = fit.directions
        self._domain = self._cover(paths)

    def _cover(self, paths) -> tuple[float, float, float, float]:
        pts = [np.zeros((1, 2))]
        for path in paths:
            arr = np.asarray(path, dtype=float)
            arr = arr[np.isfinite(arr).all(axis=1)] if arr.ndim == 2 else arr[:0]
            if len(arr):
                pts.append(self.to_map(arr))
        pts = np.concatenate(pts)
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        span = float(max((hi - lo).max(), 1e-6))
        half = np.maximum((hi - lo) / 2 + self.MARGIN * span, 0.3 * span)  # never a thin strip
        mid = (lo + hi) / 2
        return (float(mid[0] - half[0]), float(mid[0] + half[0]), float(mid[1] - half[1]),
                float(mid[1] + half[1]))

    @property
    def domain(self):
        return self._domain

    def field(self, xs, ys):
        return plane_loss(self.problem, self.origin, self.u, self.v, xs, ys)

    def to_map(self, points):
        pts = np.asarray(points, dtype=float).reshape(-1, self.origin.size)
        return (pts - self.origin) @ self.fit.directions.T
