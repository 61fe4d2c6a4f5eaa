"""A lesson's caption drawn large on the map (issue 26): readable from the back row.

``MapView.caption`` is one :class:`CaptionLayer`; a lesson (the player, ``--lesson`` on the
command line) calls ``show(text, cite)`` and ``clear()``. The text is the caption in the
language shown already: ``**bold**`` is bold, ``$…$`` a formula, written as plain maths
(``\\beta`` → β, ``^2`` → ², ``\\cdot`` → ·; :func:`caption_html`) — no TeX engine.
The box takes the corner of the map (or a band across its top or bottom) that hides least
(``keep_clear(points)``: the paths, the minima; ties go to the top left), its type sized
from the map's height. A visible legend (the runs', the explain overlay's, the basins') is
never covered while some place is clear of it — it costs more than every path together;
the map's note is covered sooner than a path. The type shrinks (to 0.8, then 0.65 of its
size) only when no full-size place is clear of the legends, or when a smaller box hides
less than half as much of the paths as the best full-size one. The legends come and go and move after the
caption is placed (the explain overlay draws with the race): ``recheck()``, called after
each frame is drawn, places the box again when one of them moved, appeared or left.
"""

from __future__ import annotations

import html
import re

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPen, QTextDocument, QTextOption
from PySide6.QtWidgets import QGraphicsObject

# Simple TeX, as the note writes it, to plain maths.
TEX_WORDS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε",
    "varepsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω", "nabla": "∇", "partial": "∂",
    "sum": "Σ", "prod": "Π", "cdot": "·", "times": "×", "approx": "≈", "le": "≤", "leq": "≤",
    "ge": "≥", "geq": "≥", "neq": "≠", "ne": "≠", "pm": "±", "infty": "∞", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "gets": "←", "in": "∈", "sqrt": "√", "circ": "∘",
    "log": "log", "exp": "exp", "min": "min", "max": "max", "argmin": "argmin", "quad": " ",
    ",": " ", ";": " ", "!": "", "left": "", "right": "", "big": "", "Big": "", "mathbf": "",
    "mathrm": "", "operatorname": "", "hat": "", "lvert": "|", "rvert": "|", "|": "‖",
}
SUPERSCRIPTS = str.maketrans("0123456789+-=()nti", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵗⁱ")
SUBSCRIPTS = str.maketrans("0123456789+-=()ijklmnt", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₖₗₘₙₜ")
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|([^\s{}\\]))")
_FRAC = re.compile(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")


def tex_to_text(tex: str) -> str:
    r"""Simple TeX as plain maths, with HTML super- and subscripts where Unicode has none
    (tagged with the bytes 1 and 2 for < and > until :func:`caption_html` has escaped the
    rest): ``\beta^2 v \cdot g_t`` → ``β² v · gₜ``; ``\frac{a}{b}`` → ``a/b``."""
    text = re.sub(r"\\([A-Za-z]+|[,;!|])",
                  lambda m: m.group(0) if m.group(1) in ("frac", "sqrt") else TEX_WORDS.get(m.group(1), m.group(1)),
                  tex)

    def script(m):
        mark, body = m.group(1), m.group(2) if m.group(2) is not None else m.group(3)
        table = SUPERSCRIPTS if mark == "^" else SUBSCRIPTS
        if body and all(ord(ch) in table for ch in body):
            return body.translate(table)
        tag = "sup" if mark == "^" else "sub"
        return f"\x01{tag}\x02{body}\x01/{tag}\x02"

    for _ in range(4):  # inside out: scripts, roots, fractions, then what held them
        before = text
        text = _SCRIPT.sub(script, text)
        text = _SQRT.sub(lambda m: "√" + _grouped(m.group(1)), text)
        text = _FRAC.sub(lambda m: _grouped(m.group(1)) + "/" + _grouped(m.group(2)) + " ", text)
        if text == before:
            break
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


def _grouped(part: str) -> str:
    part = part.strip()
    bare = re.sub("\x01[^\x02]*\x02", "", part)  # a sub- or superscript's tags do not count
    return part if re.fullmatch(r"[^\s+\-·/=]+", bare) else f"({part})"


def caption_html(text: str) -> str:
    """The caption as rich text: HTML escaped, ``**bold**`` bold, ``$…$`` as plain maths in
    italics (Unicode where it can, <sup>/<sub> elsewhere), line breaks kept."""
    out = []
    for i, part in enumerate(re.split(r"\$([^$]*)\$", text)):
        if i % 2:
            maths = html.escape(tex_to_text(part), quote=False)
            maths = maths.replace("\x01", "<").replace("\x02", ">")
            out.append(f"<i>{maths}</i>")
        else:
            out.append(html.escape(part, quote=False))
    joined = "".join(out)
    joined = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", joined, flags=re.S)
    return joined.replace("\n", "<br>")


def along(path, pieces: int = 60) -> np.ndarray:
    """The points of ``path`` (N × 2) and points along its segments, none further apart than
    a ``pieces``-th of its extent (at most 12 between two points): the caption keeps clear
    of the lines drawn, not only of the steps' ends (a few long steps are long lines)."""
    p = np.asarray(path, dtype=float).reshape(-1, 2)
    p = p[np.all(np.isfinite(p), axis=1)]
    if len(p) < 2:
        return p
    extent = float(np.hypot(*(p.max(axis=0) - p.min(axis=0))))
    if extent <= 0:
        return p
    lengths = np.hypot(*np.diff(p, axis=0).T)
    extra = np.minimum(12, np.floor(lengths / (extent / pieces))).astype(int)
    out = [p[:1]]
    for a, b, k in zip(p[:-1], p[1:], extra, strict=True):
        t = np.arange(1, k + 2)[:, None] / (k + 1)
        out.append(a + t * (b - a))
    return np.concatenate(out)


def type_size(height: float) -> float:
    """The caption's type in pixels for a map ``height`` pixels tall: a 24th of it, 16 to 36."""
    return max(16.0, min(36.0, height / 24.0))


def caption_document(text: str, cite: str, width: float, height: float,
                     share: float = 0.6, scale: float = 1.0) -> tuple[QTextDocument, QRectF, float]:
    """The caption laid out for a map of ``width`` × ``height`` pixels, at most ``share`` of
    its width, its type ``scale`` times :func:`type_size`: the document, its box (padding
    included, at the origin) and the padding."""
    size = type_size(height) * scale
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    font = QFont()
    font.setPixelSize(round(size))
    doc.setDefaultFont(font)
    body = caption_html(text)
    if cite:
        small = round(size * 0.6)
        body += (("<br>" if body else "")
                 + f'<span style="font-size:{small}px; color:#555">{caption_html(cite)}</span>')
    doc.setHtml(f'<div style="color:#111">{body}</div>')
    pad = 0.45 * size
    most = max(120.0, width * share - 2 * pad)
    doc.setTextWidth(most)
    ideal = min(most, doc.idealWidth())
    doc.setTextWidth(ideal + 1)
    return doc, QRectF(0, 0, ideal + 1 + 2 * pad, doc.size().height() + 2 * pad), pad


def paint_caption(painter, doc: QTextDocument, box: QRectF, pad: float) -> None:
    """The caption's box and text, at the painter's origin."""
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor("#555"), 1.5))
    painter.setBrush(QColor(255, 255, 255, 232))
    painter.drawRoundedRect(box, 8, 8)
    painter.translate(pad, pad)
    doc.drawContents(painter)
    painter.restore()


class CaptionLayer(QGraphicsObject):
    """The caption box, a child of the map's ViewBox (placed in its pixels, not the data's)."""

    MARGIN = 10.0
    # Of the map's width, at most: a box in a corner (narrower if it must, beside a legend
    # as wide as the explain overlay's), or a band.
    SHARES = (0.6, 0.45, 0.35, 0.96)
    # The type's size: smaller only when no place at full size is clear of every legend
    # (a question asked over the bottom of the map, the explain overlay's legend at the top).
    SCALES = (1.0, 0.8, 0.65)
    # Also smaller when every full-size place hides more than this (a minimum's worth of
    # path points), and the smaller box hides less than half as much.
    CLEAR_ENOUGH = 25.0
    COVERS_LEGEND = 1e6  # a legend covered costs more than any number of path points

    def __init__(self, viewbox, avoid=(), light=()):
        """``avoid``: items the box should not cover (the legend); ``light``: items it had
        better not cover, though sooner than the paths (the map's note)."""
        super().__init__()
        self.setParentItem(viewbox)
        self.setZValue(60)  # above the paths, the markers, the legend and the note
        self.vb = viewbox
        self.avoid = tuple(avoid)
        self.light = tuple(light)
        self.doc = QTextDocument()
        self.text = ""
        self.cite = ""
        self.corner = "top left"
        self._box = QRectF()
        self._pad = 0.0
        self._clear = np.zeros((0, 2))
        self._weights = np.zeros(0)
        self._items_at = ()  # where the items to avoid were when the box was placed
        self.avoid_widgets: list = []  # widgets over the map (a lesson's question): as a legend
        viewbox.sigResized.connect(lambda *_: self._layout())
        viewbox.sigRangeChanged.connect(lambda *_: self._layout())
        self.hide()

    def keep_clear(self, points, weights=None) -> None:
        """Points of the map (data coordinates, N × 2) the box should cover as few of as it
        can: the runs' paths, the minima, the start; ``weights``: how much each counts
        (default 1; a minimum should count more than one point of a path). The box moves
        to another corner."""
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        w = np.ones(len(pts)) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
        finite = np.all(np.isfinite(pts), axis=1)
        self._clear, self._weights = pts[finite], w[finite]
        self._layout()

    def show(self, text: str | None = None, cite: str | None = None) -> None:
        """Draw ``text`` (``**bold**``, ``$…$``) large on the map, with ``cite`` small under it
        (no arguments: the caption given last, shown again)."""
        if text is not None or cite is not None:
            self.text, self.cite = text or "", cite or ""
        if not self.text and not self.cite:
            self.clear()
            return
        self._layout()
        self.setVisible(True)

    def clear(self) -> None:
        self.text = self.cite = ""
        self.setVisible(False)

    def recheck(self) -> None:
        """Place the box again if a legend or the note moved, appeared or left since it was
        placed (cheap when nothing did: called after every frame)."""
        if self.isVisible() and self._where_items() != self._items_at:
            self._layout()

    def _where_items(self) -> tuple:
        return tuple((item.isVisible(), item.sceneBoundingRect().getRect() if item.isVisible() else None)
                     for item in (*self.avoid, *self.light)) + tuple(r.getRect() for r in self._widget_rects())

    def _widget_rects(self) -> list[QRectF]:
        """The visible ``avoid_widgets`` in the ViewBox's pixels (a widget is a child of the
        map's view: its pixels are the scene's)."""
        return [self.vb.mapRectFromScene(QRectF(widget.geometry())) for widget in self.avoid_widgets
                if widget.isVisible()]

    def _layout(self) -> None:
        if not self.text and not self.cite:
            return
        self._items_at = self._where_items()
        rect = self.vb.sceneBoundingRect()
        width, height, m = rect.width(), rect.height(), self.MARGIN
        best = None
        for scale in self.SCALES:
            this = None
            for share in self.SHARES:
                doc, box, pad = caption_document(self.text, self.cite, width, height, share, scale)
                w, h = box.width(), box.height()
                places = {"top left": (m, m), "bottom left": (m, height - h - m)}
                if share < 0.9:
                    centre, right, middle = (width - w) / 2, width - w - m, (height - h) / 2
                    places.update({"top right": (right, m), "bottom right": (right, height - h - m),
                                   "top centre": (centre, m), "bottom centre": (centre, height - h - m),
                                   "centre left": (m, middle), "centre right": (right, middle)})
                for name, (x0, y0) in places.items():
                    if y0 < 0:
                        continue  # taller than the map
                    cost = self._cost(QRectF(x0, y0, w, h))
                    if this is None or cost < this[0]:
                        this = (cost, name if share < 0.9 else name.split()[0] + " band", (x0, y0), doc, box, pad)
            if this is not None and (best is None or this[0] < (best[0] if best[0] >= self.COVERS_LEGEND
                                                               else best[0] / 2)):
                best = this
            if best is not None and best[0] < self.CLEAR_ENOUGH:
                break  # clear of every legend, and (nearly) of the paths, at this size
        if best is None:  # (a map too small for any: the top left, as it comes)
            doc, box, pad = caption_document(self.text, self.cite, width, height, self.SHARES[0], self.SCALES[-1])
            best = (0.0, "top left", (m, m), doc, box, pad)
        _, self.corner, pos, self.doc, box, self._pad = best
        self.prepareGeometryChange()
        self._box = box
        self.setPos(pos[0], pos[1])
        self.update()

    def _cost(self, box: QRectF) -> float:
        """How much ``box`` hides: the points to keep clear in it, and the items to avoid
        (each as many points as its area covered, weighted)."""
        xs = ys = np.zeros(0)
        if len(self._clear):
            t = self.vb.childTransform()  # data → the ViewBox's pixels
            x, y = self._clear[:, 0], self._clear[:, 1]
            xs = t.m11() * x + t.m21() * y + t.dx()
            ys = t.m12() * x + t.m22() * y + t.dy()
        rects = [(self.vb.mapRectFromScene(item.sceneBoundingRect()), base, weight)
                 for items, base, weight in ((self.avoid, self.COVERS_LEGEND, 1 / 50), (self.light, 1, 1 / 2000))
                 for item in items if item.isVisible() and item.sceneBoundingRect().isValid()]
        rects += [(r, self.COVERS_LEGEND, 1 / 50) for r in self._widget_rects()]
        x0, y0, x1, y1 = box.left(), box.top(), box.right(), box.bottom()
        cost = float(self._weights[(xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)].sum()) if len(xs) else 0.0
        for r, base, weight in rects:
            common = box.intersected(r)
            if not common.isEmpty():
                cost += base + common.width() * common.height() * weight
        return cost

    def boundingRect(self) -> QRectF:  # noqa: N802 — Qt's name
        return QRectF(self._box).adjusted(-2, -2, 2, 2)

    def paint(self, painter, option, widget=None) -> None:
        paint_caption(painter, self.doc, self._box, self._pad)

    @property
    def shown_text(self) -> str:
        """The caption as it reads (tests): the document's plain text, "" when hidden."""
        return self.doc.toPlainText() if self.isVisible() else ""


__all__ = ["CaptionLayer", "along", "caption_document", "caption_html", "paint_caption", "tex_to_text"]
