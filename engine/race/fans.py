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

Rows follow the history's layout (:func:`engine.race.state.row_steps`): a fan's row k < head
holds step k, its tail rows the multiples of its stride S from max(head, S) on, where S is
the coarsest stride of its repeats (a repeat that stopped early keeps a finer one: its rows
are picked by step, never by index).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..noise import stream_seed
from .state import head_rows, row_steps, rows_through

MAX_REPEATS = 64  # a run's repeats (each is a row of the race: a fan costs N runs' steps)
BAND = (0.1, 0.9)  # the loss band's quantiles


def repeat_seed(seed: int, repeat: int) -> int:
    """The seed of repeat ``repeat`` (0: ``seed`` itself) of any run in a race seeded ``seed``."""
    if repeat == 0:
        return int(seed)
    return stream_seed(int(seed) + 0x5EED_FA5, int(repeat)) >> 1  # ≥ 0, fits an int64


@dataclass
class FanSnapshot:
    """The repeats of one run, aligned on the rows of its snapshot: column k of ``losses``,
    ``low`` and ``high`` is step ``steps[k]`` (the snapshot's ``RunSnapshot.steps``: the
    head's every step, then the stride's)."""

    repeats: int
    losses: np.ndarray  # (N, K): each repeat's recorded loss, NaN where missing
    paths: np.ndarray  # (N, k, P): each repeat's positions, thinned to ≤ FAINT_ROWS rows
    #                    (a stopped repeat stays where it stopped)
    path_steps: np.ndarray  # (k,) int: the step of each row of ``paths`` (increasing)
    low: np.ndarray  # (K,): the 10 % quantile of the losses per row (NaN where none)
    high: np.ndarray  # (K,): the 90 % quantile
    final_losses: np.ndarray  # (N,): each repeat's latest loss
    positions: np.ndarray  # (N, P): each repeat's current point
    steps_taken: np.ndarray  # (N,) int: each repeat's steps
    reached_at: np.ndarray  # (N,) int: each repeat's first step at a minimum, −1 if none
    diverged_at: np.ndarray  # (N,) int: the step each diverged at, −1 if it did not
    steps: np.ndarray  # (K,) int: the step of each column of ``losses`` (= RunSnapshot.steps)

    def at(self, rows: int, step: int) -> FanSnapshot:
        """The fan as it was at its own step ``step``, whose last row is ``rows`` − 1 (what
        ``engine.race.moment`` shows): columns and path rows up to then, each repeat's loss
        and position as they were (a position from the last path row at or before ``step``)."""
        losses = self.losses[:, :rows]
        final = np.full(self.repeats, np.nan)
        for j in range(self.repeats):
            seen = np.flatnonzero(np.isfinite(losses[j]))
            if seen.size:
                final[j] = losses[j, seen[-1]]
        keep = max(1, int(np.searchsorted(self.path_steps, step, side="right")))
        paths = self.paths[:, :keep]
        positions = paths[:, -1].copy() if paths.shape[1] else self.positions.copy()
        reached = np.where(self.reached_at <= step, self.reached_at, -1)
        diverged = np.where(self.diverged_at <= step, self.diverged_at, -1)
        return FanSnapshot(self.repeats, losses, paths, self.path_steps[:keep], self.low[:rows],
                           self.high[:rows], final, positions,
                           np.minimum(self.steps_taken, step), reached, diverged,
                           self.steps[:rows])

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
                out[j] = int(self.steps[k[0]])
        return out

    def reach_stats(self) -> tuple[float, float, int]:
        """Mean and standard deviation of the steps to a known minimum over the repeats that
        reached one, and how many did (0: mean and sd are NaN)."""
        v = self.reached_at[self.reached_at >= 0].astype(float)
        if not len(v):
            return math.nan, math.nan, 0
        return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0, len(v)


def _median(values: np.ndarray) -> float:
    """The median of the finite values (NaN if none): ``np.median``'s, without its set-up."""
    v = np.sort(values[np.isfinite(values)])
    n = len(v)
    if not n:
        return math.nan
    return float(v[n // 2]) if n % 2 else float((v[n // 2 - 1] + v[n // 2]) / 2)


def quantiles(values: np.ndarray, qs) -> list[np.ndarray]:
    """Linear-interpolated quantiles ``qs`` along axis 0, NaNs ignored (NaN where a column has
    none); as ``np.nanquantile`` but vectorised (that one loops in Python when NaNs are present),
    and without NaNs exactly ``np.quantile`` (its index and interpolation, one sort for all
    ``qs``: a snapshot asks for a few new rows at a time, where NumPy's own set-up dominates)."""
    if not values.shape[0]:
        return [np.full(values.shape[1:], np.nan) for _ in qs]
    v = np.sort(values, axis=0)  # NaNs last
    if not np.isnan(v[-1]).any():  # the usual case: every repeat has a value
        n = values.shape[0]
        out = []
        for q in qs:
            virtual = (n - 1) * q  # NumPy's "linear" method
            lo = min(max(math.floor(virtual), 0), n - 1)
            t = virtual - lo
            a, b = v[lo], v[min(lo + 1, n - 1)]
            diff = b - a
            out.append(b - diff * (1 - t) if t >= 0.5 else a + diff * t)  # NumPy's _lerp
        return out
    if np.isnan(v[0]).all():  # no values at all (a problem without a test loss)
        return [np.full(values.shape[1:], np.nan) for _ in qs]
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


def median0(values: np.ndarray) -> np.ndarray:
    """``np.median(values, axis=0)`` to the bit (the middle value, or the mean of the middle
    two; NaN where a column has one), without its set-up: a snapshot asks for a few rows."""
    v = np.sort(values, axis=0)  # NaNs last
    n = v.shape[0]
    out = v[n // 2].copy() if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    nan = np.isnan(v[-1])
    if nan.any():
        out[nan] = np.nan
    return out


FAINT_ROWS = 512  # about this many rows of each repeat's path go into a snapshot
FAINT_VALUES = 1 << 20  # and at most about this many numbers for all of a fan's paths


def _frozen(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """``arrays``, made read-only (they are shared, not copied: see :class:`_Summary`)."""
    for a in arrays:
        a.flags.writeable = False
    return arrays


@dataclass
class _Summary:
    """Per-row summaries a race keeps between snapshots: rows once recorded never change (until
    the run restarts), so each snapshot computes only the rows new since the last one.

    Its arrays are read-only and never change: snapshots share them instead of copying them,
    and a snapshot handed to another thread stays as it was taken. They are the first K rows
    of buffers with room to grow (``space``): the rows a snapshot adds are written past every
    row any earlier summary shows, or into new buffers when an old row changed (thinning, a
    partial last row completed)."""

    stride: int
    head: int  # rows k < head hold step k; then the multiples of ``stride`` (state.row_steps)
    low: np.ndarray  # (K,)
    median: np.ndarray  # (K,)
    high: np.ndarray  # (K,)
    gnorm: np.ndarray  # (K,)
    test: np.ndarray  # (K,)
    path: np.ndarray  # (K, P)
    losses: np.ndarray  # (N, K): each repeat's losses, NaN where missing
    space: tuple | None = field(default=None, repr=False)  # the buffers (same order), or None

    def __post_init__(self):
        _frozen(self.low, self.median, self.high, self.gnorm, self.test, self.path, self.losses)

    def thinned(self, m: int) -> _Summary:
        """The rows on ``m`` × the stride: the head's all, of the tail the multiples of it."""
        K, S = len(self.median), self.stride * m
        steps = row_steps(K, self.stride, self.head)
        keep = (np.arange(K) < self.head) | (steps % S == 0)
        return _Summary(S, self.head, *(a[keep] for a in (self.low, self.median, self.high,
                                                          self.gnorm, self.test, self.path)),
                        self.losses[:, keep])

    def _arrays(self) -> tuple[np.ndarray, ...]:
        return self.low, self.median, self.high, self.gnorm, self.test, self.path, self.losses

    def joined(self, k0: int, other: _Summary, capacity: int) -> _Summary:
        """Rows ``k0`` … of ``other`` after this one's first ``k0`` (in buffers of at most
        ``capacity`` rows, a history's, where they fit)."""
        K_old, n = len(self.median), len(other.median)
        K, over = k0 + n, len(self.median) - k0  # over: rows both have (the last one, usually)
        mine, theirs = self._arrays(), other._arrays()
        if (self.space is not None and 0 <= over <= n and K <= len(self.space[0])
                and all(_rows(a, k0, K_old, ax).tobytes() == _rows(b, 0, over, ax).tobytes()
                        for a, b, ax in zip(mine, theirs, _AXES, strict=True))):
            space = self.space  # past what earlier summaries show: the new rows go there
            for buf, b, ax in zip(space, theirs, _AXES, strict=True):
                _rows(buf, K_old, K, ax)[...] = _rows(b, over, n, ax)
        else:
            cap = max(min(max(K + K // 2, 256), capacity), K)
            space = tuple(np.empty((a.shape[0], cap)) if ax else np.empty((cap,) + a.shape[1:])
                          for a, ax in zip(mine, _AXES, strict=True))
            for buf, a, b, ax in zip(space, mine, theirs, _AXES, strict=True):
                _rows(buf, 0, k0, ax)[...] = _rows(a, 0, k0, ax)
                _rows(buf, k0, K, ax)[...] = b
        return _Summary(self.stride, self.head, *(_rows(buf, 0, K, ax) for buf, ax in
                                                  zip(space, _AXES, strict=True)), space=space)


_AXES = (0, 0, 0, 0, 0, 0, 1)  # the rows' axis in each of _Summary._arrays() (losses: (N, K))


def _rows(a: np.ndarray, k0: int, k1: int, axis: int) -> np.ndarray:
    """Rows k0 … k1 − 1 of one of a summary's arrays."""
    return a[:, k0:k1] if axis else a[k0:k1]


def in_step(hist, rows: list[int], S: int, K: int) -> bool:
    """Whether ``rows`` (consecutive) all hold the grid's K rows at stride S: the usual case,
    where a history's rows are the grid's as they are."""
    r0, N = rows[0], len(rows)
    return (rows[-1] - r0 == N - 1 and bool((hist.stride[r0:r0 + N] == S).all())
            and bool((hist.count[r0:r0 + N] >= K).all()))


def aligned(hist, rows: list[int], field: str, S: int, K: int, k0: int = 0, pad: bool = False,
            which: np.ndarray | None = None, usual: bool | None = None) -> np.ndarray:
    """History ``field`` of ``rows`` on the common grid of stride ``S`` (its row k the step
    ``row_steps(K, S, head)[k]``), rows k0 … K − 1 (or the increasing rows ``which``):
    (N, n) or (N, n, P). Rows a repeat has not recorded are NaN, or (``pad``) its last row.
    ``usual``: :func:`in_step`'s answer, if known."""
    src = getattr(hist, field)
    r0, N = rows[0], len(rows)
    if usual is None:
        usual = in_step(hist, rows, S, K)
    if usual:
        block = src[r0:r0 + N]  # (a slice is copied; np.take makes a new, C-ordered array,
        #                          several times faster than fancy indexing along axis 1)
        return np.array(block[:, k0:K], dtype=float) if which is None else np.take(block, which, 1)
    ks = np.arange(k0, K) if which is None else np.asarray(which, np.int64)
    head = head_rows(src.shape[1])
    want = row_steps(K, S, head)[ks]  # the steps of the grid rows asked for
    out = np.full((len(rows), len(ks)) + src.shape[2:], np.nan)
    for j, r in enumerate(rows):
        s = int(hist.stride[r])  # ≤ S (a stopped repeat's), S a multiple of it: on its grid
        idx = np.where(want < head, want, head + (want - max(head, s)) // s)
        m = int(np.count_nonzero(idx < hist.count[r]))
        out[j, :m] = src[r, idx[:m]]
        if pad and m < len(ks):
            out[j, m:] = src[r, max(int(hist.count[r]) - 1, 0)]
    return out


def _summarise(hist, rows, S: int, K: int, k0: int, head: int) -> _Summary:
    usual = in_step(hist, rows, S, K)
    losses = aligned(hist, rows, "loss", S, K, k0, usual=usual)
    losses[~np.isfinite(losses)] = np.nan
    low, med, high = quantiles(losses, (BAND[0], 0.5, BAND[1]))
    g = aligned(hist, rows, "gnorm", S, K, k0, usual=usual)
    g[~np.isfinite(g)] = np.nan
    (g_med,) = quantiles(g, (0.5,))
    (t_med,) = quantiles(aligned(hist, rows, "test", S, K, k0, usual=usual), (0.5,))
    path = median0(aligned(hist, rows, "path", S, K, k0, pad=True, usual=usual))
    return _Summary(S, head, low, med, high, g_med, t_med, path, losses)


def summary(hist, rows: list[int], cache: _Summary | None) -> _Summary:
    """The per-row summaries of ``rows``' histories, reusing ``cache`` (the last ones) where it
    still holds."""
    S, K, head = grid(hist, rows)
    if cache is not None and S >= cache.stride and S % cache.stride == 0 and cache.head == head:
        cache = cache.thinned(S // cache.stride) if S > cache.stride else cache
        k0 = len(cache.median) - 1  # the last row again: it may have been partial
        if 0 <= k0 < K:
            return cache.joined(k0, _summarise(hist, rows, S, K, k0, head), hist.loss.shape[1])
    return _summarise(hist, rows, S, K, 0, head)


def grid(hist, rows: list[int]) -> tuple[int, int, int]:
    """The common rows of ``rows``' histories: their coarsest stride S, how many rows K the
    grid of S has through the last step any of them recorded, and the head."""
    capacity = hist.loss.shape[1]
    head = head_rows(capacity)
    r0, N = rows[0], len(rows)
    pick = slice(r0, r0 + N) if rows[-1] - r0 == N - 1 else rows  # (a fan's rows: consecutive)
    strides = hist.stride[pick].tolist()
    counts = hist.count[pick].tolist()
    S = int(max(strides))
    last = max((c - 1 if c <= head else max(head, s) + (c - 1 - head) * s
                for c, s in zip(counts, strides, strict=True) if c > 0), default=0)
    return S, max(1, rows_through(capacity, S, head, last)), head


def faint_rows(K: int, wanted: int) -> np.ndarray:
    """The rows of K a fan's faint paths keep, about ``wanted``: the first quarter of them
    every row (a long race's first steps, where the repeats part, as they were), then every
    2ⁱ-th row from there (on multiples of it, so they stay put as the race grows), and the
    last row (the faint paths end where the median does)."""
    if K <= wanted:
        return np.arange(K)
    first = wanted // 4
    every = 1 << max(0, math.ceil(math.log2((K - first) / (wanted - first))))
    start = -(-first // every) * every
    which = np.concatenate([np.arange(first), np.arange(start, K, every)])
    return which if which[-1] == K - 1 else np.append(which, K - 1)


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
    head = head_rows(hist.loss.shape[1])
    if history:
        cache = summary(hist, rows, cache)
        S, K = cache.stride, len(cache.median)
        losses = cache.losses  # read-only, shared (_Summary)
        rows_wanted = max(64, min(FAINT_ROWS, FAINT_VALUES // (N * P)))  # a snapshot stays small
        which = faint_rows(K, rows_wanted)
        paths = aligned(hist, rows, "path", S, K, pad=True, which=None if len(which) == K else which)
        steps = row_steps(K, S, head)
        path_steps = steps[which]
        low, med, high = cache.low, cache.median, cache.high
        g_med, t_med, path = cache.gnorm, cache.test, cache.path
    else:
        S = int(hist.stride[rows].max())
        steps = path_steps = np.empty(0, np.int64)
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
        position=median0(pos),
        loss=loss if math.isfinite(loss) else float(runs.loss[lead]),
        grad_norm=gnorm,
        diverged_at=int(div[half - 1]) if len(div) >= half else None,
        reached_at=int(hit[(N + 1) // 2 - 1]) if enough else None,
        reached_minimum=which if enough else None,
        stride=S,
        head=head,
        path=path,
        losses=med,
        grad_norms=g_med,
        test_loss=test,
        test_losses=t_med,
        fan=FanSnapshot(N, losses, paths, path_steps, low, high, final, pos, taken, reached,
                        diverged, steps),
    )
    return fields, cache
