"""The 3-D view's drawing: the loss as a shaded mesh coloured like the map, every run's path
lifted onto it, the start's ring, the minima's stars and the runs' markers.

Imports pyqtgraph.opengl (PyOpenGL): build it only where gui.view3d.gl_check says OpenGL works.
Items are built once; a frame feeds the paths and markers with setData. The numbers (the
heights, lifting points onto them) are engine.maps.relief.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from OpenGL import GL
from pyqtgraph.opengl import shaders
from pyqtgraph.opengl.GLGraphicsItem import GLOptions
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont
from PySide6.QtOpenGL import QOpenGLFramebufferObject

from descentlab.engine.maps.drawing import thin_path
from descentlab.engine.maps.relief import HEIGHT, Relief, until_outside

from ..map.map_widget import FIELD_COLOURS
from .markers import MarkerStyle, ScreenMarkers

BACKGROUND = "#ffffff"
WALL = "#b9c3cc"  # the block's sides: the map's valley blue-grey, a little darker
PATH_WIDTH = {False: 3.0, True: 5.0}  # pixels, normal and presentation mode (a shaded mesh needs more than the map)
PATH_ANTIALIAS = False  # llvmpipe: smooth 3-px lines cost ~9 ms a frame and look the same
THIN_PX = 1000.0  # paths keep a point per ~1/1000 of the region's width (about a pixel)
CAMERA = dict(elevation=36.0, azimuth=-62.0, distance=3.3)

# Opaque, and a little back in depth: the paths and contour lines on the mesh win.
SOLID = {**GLOptions["opaque"], GL.GL_POLYGON_OFFSET_FILL: True, "glPolygonOffset": (1.0, 1.0)}

# Two-sided diffuse light from the viewer's upper left, never darker than 55 %: the mesh
# keeps the map's pale colours recognisably, and its shading shows the hills and valleys.
RELIEF_SHADER = shaders.ShaderProgram("descentlab-relief", [
    shaders.VertexShader("""
        uniform mat4 u_mvp;
        uniform mat3 u_normal;
        attribute vec4 a_position;
        attribute vec3 a_normal;
        attribute vec4 a_color;
        varying vec4 v_color;
        varying vec3 v_normal;
        void main() {
            v_normal = normalize(u_normal * a_normal);
            v_color = a_color;
            gl_Position = u_mvp * a_position;
        }
    """),
    shaders.FragmentShader("""
        #ifdef GL_ES
        precision mediump float;
        #endif
        varying vec4 v_color;
        varying vec3 v_normal;
        void main() {
            float p = abs(dot(normalize(v_normal), normalize(vec3(-0.35, 0.6, 1.0))));
            vec3 rgb = v_color.rgb * (0.55 + 0.5 * p);
            gl_FragColor = vec4(min(rgb, vec3(1.0)), v_color.a);
        }
    """),
])


def field_colours(relief: Relief) -> np.ndarray:
    """(ny, nx, 4) float RGBA: the map's colour map over the map's colour values."""
    lo, hi = relief.colour_levels
    cmap = pg.ColorMap(np.linspace(0.0, 1.0, len(FIELD_COLOURS)), FIELD_COLOURS)
    t = np.clip((relief.colour - lo) / (hi - lo), 0.0, 1.0)
    return cmap.map(t, mode="float")


def _rgba(colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    c = QColor(colour)
    return c.redF(), c.greenF(), c.blueF(), alpha


class ReliefView(gl.GLViewWidget):
    """Drag: orbit; wheel: zoom; Ctrl+drag or middle drag: pan; double-click: camera back."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackgroundColor(BACKGROUND)
        self.setMinimumSize(300, 250)
        self.relief: Relief | None = None
        self.surface = gl.GLSurfacePlotItem(shader=RELIEF_SHADER, smooth=True, computeNormals=True,
                                            glOptions=SOLID)
        self.surface.hide()  # until it has a mesh (an empty one cannot be drawn)
        self.addItem(self.surface)
        self.walls = gl.GLMeshItem(shader=RELIEF_SHADER, smooth=False, computeNormals=True,
                                   color=_rgba(WALL), glOptions=SOLID)
        self.walls.hide()
        self.addItem(self.walls)
        self.contours = gl.GLLinePlotItem(mode="lines", color=(0.16, 0.24, 0.35, 0.28), width=1.0,
                                          antialias=True, glOptions="translucent")
        self.addItem(self.contours)
        self.frame = gl.GLLinePlotItem(mode="lines", color=(0.3, 0.3, 0.3, 0.8), width=1.0,
                                       antialias=True, glOptions="translucent")
        self.addItem(self.frame)
        self.labels = [gl.GLTextItem(color=(40, 40, 40, 255)) for _ in range(3)]
        for label in self.labels:
            self.addItem(label)
        self.paths: dict[int, gl.GLLinePlotItem] = {}
        self.markers = ScreenMarkers()
        self.addItem(self.markers)
        self.path_width = PATH_WIDTH[False]
        self.marker_size = 12.0
        self._fixed: list[tuple[np.ndarray, MarkerStyle]] = []  # minima stars, the start ring
        self._run_markers: tuple[np.ndarray, list[MarkerStyle]] = (np.empty((0, 3)), [])
        self._minima: list = []
        self._start: tuple[float, float] | None = None
        self._static_fbo = None  # the mesh, walls and contours, drawn once per camera (paintGL)
        self._static_painted = None
        self._static_serial = 0
        self._static_failed = False
        self.reset_camera()

    # ------------------------------------------------------------------ painting
    def static_items(self) -> list:
        return [self.surface, self.walls, self.contours, self.frame]

    def dynamic_items(self) -> list:
        return [*self.paths.values(), *self.labels, self.markers]

    def _static_key(self) -> tuple:
        o = self.opts
        c = o["center"]
        return (self._static_serial, self.deviceWidth(), self.deviceHeight(), o["distance"], o["fov"],
                o.get("elevation"), o.get("azimuth"), (c.x(), c.y(), c.z()))

    def paintGL(self):  # noqa: N802 — Qt's name
        """The mesh, its walls and contour lines change only with the camera or the problem:
        they are drawn once into a framebuffer of their own (colour and depth), copied in
        every frame, and only the paths and markers are drawn on top (depth-tested, so a
        hill still hides a path behind it). The software renderer then spends a frame on
        what moved."""
        region = self.getViewport()
        width, height = self.deviceWidth(), self.deviceHeight()
        target = self.defaultFramebufferObject()
        if self._static_failed:
            return super().paintGL()
        try:
            key = self._static_key()
            if self._static_fbo is None or self._static_fbo.size() != QSize(width, height):
                self._static_fbo = QOpenGLFramebufferObject(
                    QSize(width, height), QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
                self._static_painted = None
            if self._static_painted != key:
                GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, self._static_fbo.handle())
                GL.glViewport(0, 0, width, height)
                self._paint_items(self.static_items(), region, clear=True)
                self._static_painted = key
            GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._static_fbo.handle())
            GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, target)
            GL.glBlitFramebuffer(0, 0, width, height, 0, 0, width, height,
                                 GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT, GL.GL_NEAREST)
            GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, target)
            GL.glViewport(0, 0, width, height)
            self._paint_items(self.dynamic_items(), region, clear=False)
        except Exception:  # noqa: BLE001 — a driver without blits: draw everything, every frame
            self._static_failed = True
            GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, target)
            super().paintGL()

    def _paint_items(self, items, region, clear: bool) -> None:
        self.setProjection(region, region)
        self.setModelview()
        if clear:
            GL.glClearColor(*self.opts["bgcolor"])
            GL.glClear(GL.GL_DEPTH_BUFFER_BIT | GL.GL_COLOR_BUFFER_BIT)
        for item in sorted(items, key=lambda i: i.depthValue()):
            if item.visible():
                self._modelViewStack.append(self.currentModelView() * item.transform())
                try:
                    self.drawItemTree(item)
                finally:
                    self._modelViewStack.pop()

    # ------------------------------------------------------------------ camera
    def reset_camera(self) -> None:
        self.setCameraPosition(pos=pg.Vector(0, 0, 0.35 * HEIGHT), **CAMERA)

    def mouseDoubleClickEvent(self, ev):  # noqa: N802 — Qt's name
        self.reset_camera()
        ev.accept()

    # ------------------------------------------------------------------ setup
    def set_relief(self, relief: Relief, minima, x_label: str, y_label: str, z_label: str) -> None:
        self.relief = relief
        self._static_serial += 1
        wx, wy = relief.world_xy(relief.xs, relief.ys)
        colours = field_colours(relief)
        self.surface.setData(x=np.asarray(wx, np.float32), y=np.asarray(wy, np.float32),
                             z=relief.heights.T.astype(np.float32),
                             colors=np.ascontiguousarray(colours.transpose(1, 0, 2), np.float32))
        self.surface.show()
        verts, faces = relief.skirt()
        self.walls.setMeshData(vertexes=verts.astype(np.float32), faces=faces)
        self.walls.show()
        segments = relief.contour_segments()
        self.contours.setData(pos=segments if len(segments) else np.zeros((2, 3)))
        self.contours.setVisible(len(segments) > 0)
        self._set_frame(x_label, y_label, z_label)
        self._minima = list(minima)
        self._place_fixed()

    def _set_frame(self, x_label: str, y_label: str, z_label: str) -> None:
        """The base rectangle, the height axis at the back-left corner and their labels."""
        x0, x1, y0, y1 = self.relief.world_box
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        base = []
        for k in range(4):
            base += [(*corners[k], 0.0), (*corners[(k + 1) % 4], 0.0)]
        base += [(x0, y1, 0.0), (x0, y1, HEIGHT * 1.05)]
        self.frame.setData(pos=np.array(base, dtype=np.float32))
        font = QFont()
        font.setPointSizeF(font.pointSizeF() * (1.4 if self.path_width > PATH_WIDTH[False] else 1.0))
        places = [((x0 + x1) / 2, y0 - 0.08, 0.0), (x1 + 0.06, (y0 + y1) / 2, 0.0), (x0, y1, HEIGHT + 0.05)]
        for label, text, pos in zip(self.labels, (x_label, y_label, z_label), places, strict=True):
            label.setData(text=text, pos=np.array(pos), font=font)

    def set_start(self, x: float, y: float) -> None:
        self._start = (float(x), float(y))
        self._place_fixed()

    def _place_fixed(self) -> None:
        if self.relief is None:
            return
        big = self.marker_size * 1.35
        fixed = [(self.relief.lift(np.array([[m.x, m.y]]))[0],
                  MarkerStyle("star", big, "#ffffff" if m.is_global else "#bbbbbb", "#222", 1.2))
                 for m in self._minima]
        if self._start is not None:
            fixed.append((self.relief.lift(np.array([self._start]))[0],
                          MarkerStyle("o", big, "", "#111", 2.5 if self.path_width > PATH_WIDTH[False] else 2.0)))
        self._fixed = fixed
        self._push_markers()

    def _push_markers(self) -> None:
        points, styles = self._run_markers
        fixed_points = [p for p, _ in self._fixed]
        all_points = np.vstack([np.array(fixed_points).reshape(-1, 3), points.reshape(-1, 3)])
        self.markers.setData(all_points, [s for _, s in self._fixed] + styles)

    def set_runs(self, entries) -> None:
        """One path item per run, created once (re-coloured here); removed runs' items go."""
        wanted = {e.uid: e for e in entries}
        for uid in list(self.paths):
            if uid not in wanted:
                self.removeItem(self.paths.pop(uid))
        for uid, e in wanted.items():
            item = self.paths.get(uid)
            if item is None:
                item = gl.GLLinePlotItem(mode="line_strip", antialias=PATH_ANTIALIAS, glOptions="translucent")
                item.setData(pos=np.zeros((1, 3), np.float32))
                self.addItem(item)
                self.paths[uid] = item
            item.setData(color=_rgba(e.colour), width=self.path_width)
            item.setVisible(e.config.enabled)
        # the markers last: drawn over the paths
        self.removeItem(self.markers)
        self.addItem(self.markers)

    def set_presentation(self, on: bool) -> None:
        self.path_width = PATH_WIDTH[on]
        self.marker_size = 20.0 if on else 12.0
        for item in self.paths.values():
            item.setData(width=self.path_width)
        self._place_fixed()

    # ---------------------------------------------------------------- drawing
    def draw(self, snapshot, entries, view) -> None:
        relief = self.relief
        if relief is None:
            return
        by_uid = {e.uid: e for e in entries}
        x0, x1, y0, y1 = relief.region
        sx, sy = THIN_PX / (x1 - x0), THIN_PX / (y1 - y0)
        points, styles = [], []
        for run in snapshot.runs:
            e, item = by_uid.get(run.uid), self.paths.get(run.uid)
            if e is None or item is None or not e.config.enabled:
                continue
            path = run.path
            if run.step != run.last_recorded or run.diverged_at is not None:
                path = np.vstack([path, run.position[None, :]])
            path = view.to_map(path)
            if run.diverged_at is not None:
                path = until_outside(path, relief.region)
            idx = thin_path(path[:, 0], path[:, 1], sx, sy, 1.0)
            lifted = relief.lift(path[idx])
            item.setData(pos=lifted.astype(np.float32))
            points.append(lifted[-1])
            styles.append(MarkerStyle("x" if run.diverged_at is not None else e.symbol, self.marker_size,
                                      e.colour, "#111", 1.5))
        self._run_markers = (np.array(points).reshape(-1, 3), styles)
        self._push_markers()
