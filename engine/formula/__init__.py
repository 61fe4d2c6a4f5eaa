"""Typed formulas: text → expression tree (:mod:`.parse`) → postfix data (:mod:`.program`)
for one compiled stack machine (:mod:`.kernels`), and their minima (:mod:`.minima`).
The problem kind built on them is :class:`engine.FormulaSurface` (engine/formula/problem.py)."""

from .parse import ALLOWED, MAX_DEPTH, MAX_LENGTH, FormulaError, parse
from .program import Compiled, Program, build
from .tree import to_html

__all__ = ["ALLOWED", "MAX_DEPTH", "MAX_LENGTH", "Compiled", "FormulaError", "Program", "build", "parse",
           "to_html"]
