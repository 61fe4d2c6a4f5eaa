"""Axes that never crowd: tick labels chosen to fit the axis' length in the tick font.

pyqtgraph's own ticks put a label at every minor tick of a short log axis (0.9 0.8 0.7 …
stacked over each other in presentation mode) and pick linear spacings without measuring
the labels. :class:`TidyAxis` measures them (``QFontMetrics`` of the tick font):

- a log axis labels its decades, and 2·10ᵏ and 5·10ᵏ only when they fit; when the decades
  themselves do not fit, every 2nd, 5th, 10th … decade; a span under a decade gets nice
  linear values (0.25, 0.3, 0.35 …) as many as fit. The other 1…9·10ᵏ are unlabelled ticks
  when there is room for them.
- a linear axis takes the smallest 1-2-5 spacing that leaves at most about six labels and
  room between them.

Labels keep a gap of half a line between them (:data:`GAP_EM`).
``pg.PlotWidget(..., axisItems=tidy_axis_items())`` puts the axis on a plot's left and bottom.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QGraphicsItem

MAX_LINEAR_LABELS = 6  # "about six"
GAP_EM = 0.5  # the least gap between two labels, in line heights
MINOR_MIN_PX = 4.0  # unlabelled log ticks only where they are at least this far apart
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def nice_steps(span: float, most: float):
    """Spacings 1, 2, 5 × 10ᵏ from the one giving at most ``most`` intervals up to the first
    one wider than ``span`` (which leaves at most one value)."""
    if not (span > 0 and math.isfinite(span)):
        return
    raw = span / max(most, 1.0)
    k = math.floor(math.log10(raw))
    while True:
        for m in (1, 2, 5):
            step = m * 10.0 ** k
            if step >= raw * (1 - 1e-12):
                yield step
                if step > span:
                    return
        k += 1


def linear_string(v: float, step: float) -> str:
    if v == 0 or abs(v) < step * 1e-9:
        return "0"
    if abs(v) < 1e-3 or abs(v) >= 1e5:
        return f"{v:.3g}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")
    places = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{v:.{places}f}"


def log_string(k: int, m: int = 1) -> str:
    """m·10ᵏ as a label: plain where short (0.002, 50, 1000), else m·10ᵏ with a superscript."""
    if -3 <= k <= 4:
        v = m * 10.0 ** k
        return f"{v:.{max(0, -k)}f}"
    power = "10" + str(k).translate(SUPERSCRIPT)
    return power if m == 1 else f"{m}·{power}"


class TidyAxis(pg.AxisItem):
    """An ``AxisItem`` whose labels fit: see the module's notes."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self._strings: dict[float, str] = {}
        # A frame repaints the axes unchanged: blit a cached picture of them rather than play
        # their ticks' text again (≈ 0.05 ms an axis a frame; any change of theirs calls
        # update(), which drops the cache).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    # ------------------------------------------------------------------ measuring
    def _metrics(self) -> QFontMetricsF:
        font = self.style.get("tickFont") or QApplication.font()
        return QFontMetricsF(font)

    def _extent(self, fm: QFontMetricsF, text: str) -> float:
        """How much of the axis' length a label takes."""
        if self.orientation in ("left", "right"):
            return fm.height()
        return fm.horizontalAdvance(text)

    def _fits(self, positions, strings, fm: QFontMetricsF) -> bool:
        """Whether labels centred at ``positions`` (pixels along the axis) keep their gap."""
        if len(positions) < 2:
            return True
        gap = GAP_EM * fm.height()
        order = np.argsort(positions)
        pos = np.asarray(positions, float)[order]
        ext = np.array([self._extent(fm, strings[i]) for i in order])
        return bool((np.diff(pos) >= (ext[1:] + ext[:-1]) / 2 + gap).all())

    # ------------------------------------------------------------------ choosing
    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802 — pyqtgraph's name
        lo, hi = sorted((float(minVal), float(maxVal)))
        self._strings = {}
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or size <= 0:
            return []
        fm = self._metrics()
        px = size / (hi - lo)  # pixels per axis unit
        if self.logMode:
            labels, minor = self._log_ticks(lo, hi, px, fm)
        else:
            labels, minor = self._linear_ticks(lo, hi, px, fm), []
        self._strings = {round(v, 12): s for v, s in labels}
        levels = [(None, [v for v, _ in labels])]
        if minor:
            levels.append((None, minor))
        return levels

    def tickStrings(self, values, scale, spacing):  # noqa: N802 — pyqtgraph's name
        return [self._strings.get(round(float(v), 12), "") for v in values]

    def _linear_ticks(self, lo: float, hi: float, px: float, fm) -> list[tuple[float, str]]:
        best = []
        for step in nice_steps(hi - lo, MAX_LINEAR_LABELS - 0.5):
            first = math.ceil(lo / step - 1e-9)
            last = math.floor(hi / step + 1e-9)
            values = [i * step for i in range(first, last + 1)]
            strings = [linear_string(v, step) for v in values]
            best = list(zip(values, strings, strict=True))
            if self._fits([(v - lo) * px for v in values], strings, fm):
                return best
            if len(values) <= 1:
                return best
        return best

    def _log_ticks(self, lo: float, hi: float, px: float, fm):
        """(labels, unlabelled minor ticks) in log10 units, ``px`` pixels per decade."""
        k0, k1 = math.ceil(lo - 1e-9), math.floor(hi + 1e-9)
        candidates = []
        rich = [(k + math.log10(m), log_string(k, m)) for k in range(k0 - 1, k1 + 1)
                for m in (1, 2, 5) if lo - 1e-9 <= k + math.log10(m) <= hi + 1e-9]
        decades = [(float(k), log_string(k)) for k in range(k0, k1 + 1)]
        candidates.append(rich)
        candidates.append(decades)
        for every in (2, 5, 10, 20, 50, 100):
            candidates.append([(v, s) for v, s in decades if round(v) % every == 0])
        chosen = None
        for labels in candidates:
            if len(labels) >= 2 and self._fits([(v - lo) * px for v, _ in labels],
                                               [s for _, s in labels], fm):
                chosen = labels
                break
        if chosen is None or (hi - lo < 1 and len(chosen) < 3):
            linear = self._narrow_log_ticks(lo, hi, px, fm)
            if chosen is None or len(linear) > len(chosen):
                chosen = linear
        minor = []
        if px * math.log10(10 / 9) >= MINOR_MIN_PX:  # the tightest gap, 9→10, has room
            taken = {round(v, 9) for v, _ in chosen}
            for k in range(math.floor(lo), math.ceil(hi) + 1):
                for m in range(1, 10):
                    v = k + math.log10(m)
                    if lo <= v <= hi and round(v, 9) not in taken:
                        minor.append(v)
        return chosen, minor

    def _narrow_log_ticks(self, lo: float, hi: float, px: float, fm) -> list[tuple[float, str]]:
        """A log axis spanning little: nice linear values, as many as fit (at least one)."""
        a, b = 10.0 ** lo, 10.0 ** hi
        best = []
        for step in nice_steps(b - a, MAX_LINEAR_LABELS - 0.5):
            first = math.ceil(a / step - 1e-9)
            last = math.floor(b / step + 1e-9)
            values = [i * step for i in range(max(first, 1), last + 1)]
            if not values:
                continue
            strings = [linear_string(v, step) for v in values]
            logs = [math.log10(v) for v in values]
            labels = list(zip(logs, strings, strict=True))
            if self._fits([(v - lo) * px for v in logs], strings, fm):
                return labels
            best = labels[:1]
        if not best:  # no nice value inside: the middle, to two figures
            mid = 10.0 ** ((lo + hi) / 2)
            best = [(math.log10(mid), f"{mid:.2g}")]
        return best


def tidy_axis_items(which=("left", "bottom")) -> dict:
    """``axisItems`` for a ``pg.PlotWidget``/``PlotItem``: a :class:`TidyAxis` on each side
    in ``which`` (pens, fonts and labels are set afterwards as for any axis)."""
    return {name: TidyAxis(name) for name in which}
