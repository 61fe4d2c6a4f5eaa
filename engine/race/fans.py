"""Seed fans: one run repeated with N seeds, summarised as one run.

``Race.add_run(..., repeats=N)`` gives a run N rows in the race's bundles, stepped in the same
lockstep kernel call as every other row. Repeat k draws its data order (mini-batch shuffles)
and its gradient noise from the seed :func:`repeat_seed` ``(race seed, k)``, the same for every
run of the race, so two fans are compared repeat for repeat (paired, common random numbers).
Repeat 0 uses the race's seed itself: a run with ``repeats=1`` is exactly the run it was.

:func:`fan_summary` turns the repeats' histories into what a snapshot carries: per recorded step
the median loss and its 10–90 % band, the median position (per coordinate), and each repeat's
own path and final loss (for faint paths and the mean ± sd of a leaderboard). A repeat that has
stopped (diverged) keeps its last position in the paths and counts as missing in the losses:
the band is the band of the repeats still running.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..noise import stream_seed

MAX_REPEATS = 64  # a run's repeats (each is a row of the race: a fan costs N runs' steps)
BAND = (0.1, 0.9)  # the loss band's quantiles


def repeat_seed(seed: int, repeat: int) -> int:
    """The seed of repeat ``repeat`` (0: ``seed`` itself) of any run in a race seeded ``seed``."""
    if repeat == 0:
        return int(seed)
    return stream_seed(int(seed) + 0x5EED_FA5, int(repeat)) >> 1  # ≥ 0, fits an int64


@dataclass
class FanSnapshot:
    """The repeats of one run, aligned on the rows of its snapshot (row k = step k·stride)."""

    repeats: int
    losses: np.ndarray  # (N, K): each repeat's recorded loss, NaN where missing
    paths: np.ndarray  # (N, k, P): each repeat's positions, thinned to ≤ FAINT_ROWS rows
    #                    (a stopped repeat stays where it stopped)
    path_stride: int  # row i of ``paths`` is step i·path_stride
    low: np.ndarray  # (K,): the 10 % quantile of the losses per row (NaN where none)
    high: np.ndarray  # (K,): the 90 % quantile
    final_losses: np.ndarray  # (N,): each repeat's latest loss
    positions: np.ndarray  # (N, P): each repeat's current point
    steps_taken: np.ndarray  # (N,) int: each repeat's steps
    reached_at: np.ndarray  # (N,) int: each repeat's first step at a minimum, −1 if none
    diverged_at: np.ndarray  # (N,) int: the step each diverged at, −1 if it did not

    def final_stats(self) -> tuple[float, float, int]:
        """Mean and sample standard deviation of the finite final losses, and how many there are."""
        v = self.final_losses[np.isfinite(self.final_losses)]
        if not len(v):
            return math.nan, math.nan, 0
        return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0, len(v)

    def steps_to(self, target: float) -> np.ndarray:
        """Per repeat, the first recorded step whose loss is ≤ ``target`` (−1: not yet)."""
        out = np.full(self.repeats, -1, np.int64)
        with np.errstate(invalid="ignore"):
            hit = self.losses <= target
        for j in range(self.repeats):
            k = np.flatnonzero(hit[j])
            if len(k):
                out[j] = int(k[0])
        return out

    def reach_stats(self) -> tuple[float, float, int]:
        """Mean and standard deviation of the steps to a known minimum over the repeats that
        reached one, and how many did (0: mean and sd are NaN)."""
        v = self.reached_at[self.reached_at >= 0].astype(float)
        if not len(v):
            return math.nan, math.nan, 0
        return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0, len(v)


def _median(values: np.ndarray) -> float:
    """The median of the finite values (NaN if none)."""
    v = values[np.isfinite(values)]
    return float(np.median(v)) if len(v) else math.nan


def quantiles(values: np.ndarray, qs) -> list[np.ndarray]:
    """Linear-interpolated quantiles ``qs`` along axis 0, NaNs ignored (NaN where a column has
    none); as ``np.nanquantile`` but vectorised (that one loops in Python when NaNs are present)."""
    missing = np.isnan(values)
    if not missing.any():  # the usual case: NumPy's own (the same linear interpolation)
        return list(np.quantile(values, qs, axis=0))
    if missing.all():
        return [np.full(values.shape[1:], np.nan) for _ in qs]
    v = np.sort(values, axis=0)  # NaNs last
    n = np.sum(~np.isnan(values), axis=0)
    out = []
    for q in qs:
        pos = q * np.maximum(n - 1, 0)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        frac = pos - lo
        a = np.take_along_axis(v, lo[None], 0)[0]
        b = np.take_along_axis(v, hi[None], 0)[0]
        with np.errstate(invalid="ignore"):
            res = np.where(frac > 0, a + (b - a) * frac, a)
        res = np.where(n > 0, res, np.nan)
        out.append(res)
    return out


FAINT_ROWS = 512  # at most this many rows of each repeat's path go into a snapshot
FAINT_VALUES = 1 << 20  # and at most about this many numbers for all of a fan's paths


@dataclass
class _Summary:
    """Per-row summaries a race keeps between snapshots: rows once recorded never change (until
    the run restarts), so each snapshot computes only the rows new since the last one."""

    stride: int
    low: np.ndarray  # (K,)
    median: np.ndarray  # (K,)
    high: np.ndarray  # (K,)
    gnorm: np.ndarray  # (K,)
    test: np.ndarray  # (K,)
    path: np.ndarray  # (K, P)
    losses: np.ndarray  # (N, K): each repeat's losses, NaN where missing

    def thinned(self, m: int) -> _Summary:
        return _Summary(self.stride * m, *(a[::m] for a in (self.low, self.median, self.high,
                                                            self.gnorm, self.test, self.path)),
                        self.losses[:, ::m])

    def joined(self, k0: int, other: _Summary) -> _Summary:
        return _Summary(self.stride, *(np.concatenate([a[:k0], b]) for a, b in zip(
            (self.low, self.median, self.high, self.gnorm, self.test, self.path),
            (other.low, other.median, other.high, other.gnorm, other.test, other.path), strict=True)),
            np.concatenate([self.losses[:, :k0], other.losses], axis=1))


def aligned(hist, rows: list[int], field: str, S: int, K: int, k0: int = 0, every: int = 1,
            pad: bool = False) -> np.ndarray:
    """History ``field`` of ``rows`` on the common stride ``S``, rows k0, k0 + every, … < K:
    (N, n) or (N, n, P). Rows a repeat has not recorded are NaN, or (``pad``) its last row."""
    src = getattr(hist, field)
    r0, N = rows[0], len(rows)
    if (rows[-1] - r0 == N - 1 and np.all(hist.stride[r0:r0 + N] == S)
            and np.all(hist.count[r0:r0 + N] >= K)):  # the usual case: one slice
        return np.array(src[r0:r0 + N, k0:K:every], dtype=float)
    ks = np.arange(k0, K, every)
    out = np.full((len(rows), len(ks)) + src.shape[2:], np.nan)
    for j, r in enumerate(rows):
        idx = ks * (S // int(hist.stride[r]))
        m = int(np.count_nonzero(idx < hist.count[r]))
        out[j, :m] = src[r, idx[:m]]
        if pad and m < len(ks):
            out[j, m:] = src[r, max(int(hist.count[r]) - 1, 0)]
    return out


def _summarise(hist, rows, S: int, K: int, k0: int) -> _Summary:
    losses = aligned(hist, rows, "loss", S, K, k0)
    losses[~np.isfinite(losses)] = np.nan
    low, med, high = quantiles(losses, (BAND[0], 0.5, BAND[1]))
    g = aligned(hist, rows, "gnorm", S, K, k0)
    g[~np.isfinite(g)] = np.nan
    (g_med,) = quantiles(g, (0.5,))
    (t_med,) = quantiles(aligned(hist, rows, "test", S, K, k0), (0.5,))
    path = np.median(aligned(hist, rows, "path", S, K, k0, pad=True), axis=0)
    return _Summary(S, low, med, high, g_med, t_med, path, losses)


def summary(hist, rows: list[int], cache: _Summary | None) -> _Summary:
    """The per-row summaries of ``rows``' histories, reusing ``cache`` (the last ones) where it
    still holds."""
    strides = hist.stride[rows].astype(np.int64)
    counts = hist.count[rows].astype(np.int64)
    S = int(strides.max())
    K = int(max(((c - 1) * s) // S + 1 for c, s in zip(counts, strides, strict=True)))
    if cache is not None and S >= cache.stride and S % cache.stride == 0:
        cache = cache.thinned(S // cache.stride) if S > cache.stride else cache
        k0 = len(cache.median) - 1  # the last row again: it may have been partial
        if 0 <= k0 < K:
            return cache.joined(k0, _summarise(hist, rows, S, K, k0))
    return _summarise(hist, rows, S, K, 0)


def fan_summary(runs, hist, rows: list[int], history: bool = True,
                cache: _Summary | None = None) -> tuple[dict, _Summary | None]:
    """What a fan's snapshot carries — the median run's fields (as ``RunSnapshot`` names them)
    and ``fan``, a :class:`FanSnapshot` — and the summaries to pass as ``cache`` next time."""
    N = len(rows)
    P = runs.theta.shape[1]
    pos = runs.theta[rows].copy()
    final = runs.loss[rows].copy()
    final[~np.isfinite(final)] = np.nan
    reached = runs.reached_at[rows].copy()
    diverged = runs.diverged_at[rows].copy()
    taken = runs.t[rows].copy()
    if history:
        cache = summary(hist, rows, cache)
        S, K = cache.stride, len(cache.median)
        losses = cache.losses.copy()
        rows_wanted = max(64, min(FAINT_ROWS, FAINT_VALUES // (N * P)))  # a snapshot stays small
        every = 1 << max(0, math.ceil(math.log2(max(K, 1) / rows_wanted)))
        paths = aligned(hist, rows, "path", S, K, 0, every, pad=True)
        low, med, high = cache.low.copy(), cache.median.copy(), cache.high.copy()
        g_med, t_med, path = cache.gnorm.copy(), cache.test.copy(), cache.path.copy()
    else:
        S, every = int(hist.stride[rows].max()), 1
        losses, paths = np.empty((N, 0)), np.empty((N, 0, P))
        low = med = high = g_med = t_med = np.empty(0)
        path = np.empty((0, P))
    loss, gnorm, test = (_median(v) for v in (final, runs.gnorm[rows], runs.test_loss[rows]))
    half = N // 2 + 1  # a majority
    div = np.sort(diverged[diverged >= 0])
    hit = np.sort(reached[reached >= 0])
    lead = rows[0]
    first = np.flatnonzero(reached >= 0)
    which = int(runs.reached_which[rows[int(first[0])]]) if len(first) else None
    enough = len(hit) >= (N + 1) // 2
    fields = dict(
        step=int(taken.max()),
        position=np.median(pos, axis=0),
        loss=loss if math.isfinite(loss) else float(runs.loss[lead]),
        grad_norm=gnorm,
        diverged_at=int(div[half - 1]) if len(div) >= half else None,
        reached_at=int(hit[(N + 1) // 2 - 1]) if enough else None,
        reached_minimum=which if enough else None,
        stride=S,
        path=path,
        losses=med,
        grad_norms=g_med,
        test_loss=test,
        test_losses=t_med,
        fan=FanSnapshot(N, losses, paths, S * every, low, high, final, pos, taken, reached, diverged),
    )
    return fields, cache
