"""A typed formula as scene data: ``[problem]`` with ``formula = "..."`` (engine.files.scene).

:class:`FormulaConfig` holds the text and domain, :func:`read_formula` checks a scene file's
table (parsing the text), :func:`formula_dict` writes one. The formula kind (:mod:`.kind`)
hands these to the scene.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..files.scene_fields import check_keys, fail, pair, string
from ..quoted import quoted
from .problem import DEFAULT_DOMAIN, FormulaSurface

PROBLEM_KEYS = {"formula", "domain", "noise", "seed", "start"}
MAX_FORMULA_CHARS = 500


@dataclass
class FormulaConfig:
    """A surface typed as a formula f(x, y) (``[problem]`` with ``formula = "..."``)."""

    text: str = "x**2 + y**2"
    domain: tuple[float, float, float, float] = DEFAULT_DOMAIN

    @property
    def centre(self) -> tuple[float, float]:
        xmin, xmax, ymin, ymax = self.domain
        return (0.5 * (xmin + xmax), 0.5 * (ymin + ymax))

    @property
    def default_start(self) -> tuple[float, float]:
        """Where runs start when the scene says nothing: the centre, unless a minimum sits
        there (engine.formula.problem.default_start); raises ValueError like build."""
        return self.build().surface.start

    def build(self, start=None):
        """The engine's FormulaSurface (started at ``start``, else its default start); raises
        ValueError (engine.FormulaError for the text).

        The last few are kept: typing, checking and loading one formula parses it (and
        searches its minima) once."""
        start = None if start is None else tuple(float(v) for v in start)
        key = (self.text, tuple(float(v) for v in self.domain), start)
        if key not in _FORMULA_CACHE:
            surface = FormulaSurface(self.text, domain=key[1], start=start)
            while len(_FORMULA_CACHE) >= 8:
                _FORMULA_CACHE.pop(next(iter(_FORMULA_CACHE)))
            _FORMULA_CACHE[key] = surface
        return _FORMULA_CACHE[key]


_FORMULA_CACHE: dict[tuple, object] = {}


def read_formula(source, problem: dict, base_dir=None) -> FormulaConfig:
    """The ``[problem]`` table of a formula scene, checked field by field (the text parsed)."""
    check_keys(source, "problem", problem, PROBLEM_KEYS)
    cfg = FormulaConfig(string(source, "problem.formula", problem["formula"], MAX_FORMULA_CHARS))
    if "domain" in problem:
        box = problem["domain"]
        if not isinstance(box, list) or len(box) != 4:
            raise fail(source, "problem.domain",
                       f"expected four numbers [xmin, xmax, ymin, ymax] like [-3, 3, -3, 3], got {quoted(box)}")
        xs = pair(source, "problem.domain", box[:2], increasing=True)
        ys = pair(source, "problem.domain", box[2:], increasing=True)
        cfg.domain = (*xs, *ys)
    start = pair(source, "problem.start", problem["start"]) if "start" in problem else None
    try:
        cfg.build(start)  # parses the text: nothing is evaluated but the formula's own tree
    except ValueError as exc:  # engine.FormulaError names the column
        raise fail(source, "problem.formula", str(exc)) from None
    return cfg


def formula_dict(cfg: FormulaConfig, base_dir=None) -> dict:
    """The ``[problem]`` table of a formula scene (without the keys every scene shares)."""
    return {"formula": cfg.text, "domain": list(cfg.domain)}
