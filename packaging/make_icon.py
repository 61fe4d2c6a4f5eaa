"""Draw the app icon (contour ellipses, a zig-zag path, a star) into resources/icons/.

    python packaging/make_icon.py

Writes descentlab.png (512 px) and descentlab.ico (for Windows builds). Run it again only
when the design changes; the files are committed.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPen, QPolygonF  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 512
    p.setBrush(QBrush(QColor("#1d3557")))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(16 * s, 16 * s, 480 * s, 480 * s), 96 * s, 96 * s)
    centre = QPointF(256 * s, 300 * s)
    for i, (rx, ry) in enumerate([(200, 80), (150, 60), (100, 40), (55, 22)]):
        shade = 110 + 35 * i
        p.setPen(QPen(QColor(shade, shade + 40, 230), 10 * s))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(centre, rx * s, ry * s)
    zig = [(70, 150), (150, 390), (190, 190), (225, 350), (240, 250), (250, 315), (256, 300)]
    p.setPen(QPen(QColor("#e63946"), 22 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.drawPolyline(QPolygonF([QPointF(x * s, y * s) for x, y in zig]))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#f1faee")))
    p.drawEllipse(centre, 22 * s, 22 * s)
    p.end()
    return img


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 — QImage painting wants one
    OUT.mkdir(parents=True, exist_ok=True)
    ok = draw(512).save(str(OUT / "descentlab.png"))
    ok &= draw(256).save(str(OUT / "descentlab.ico"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
