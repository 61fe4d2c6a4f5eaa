"""The expression tree of a formula: a handful of frozen node types, and how to show one.

Built only by :mod:`engine.formula.parse`; turned into kernel data by
:mod:`engine.formula.program`. A left-leaning run of ``+ −`` (or of ``* /``) is one
:class:`Chain` node (applied left to right), so a long sum is flat and nothing here recurses along it.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
UNARY_FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "log1p", "sqrt", "abs", "tanh", "sinh", "cosh", "atan")
BINARY_FUNCTIONS = ("min", "max")


@dataclass(frozen=True)
class Const:
    value: float
    name: str = ""  # "pi" or "e" for the named constants


@dataclass(frozen=True)
class Var:
    name: str  # "x" or "y"


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Pow:
    base: Node
    exponent: Node


@dataclass(frozen=True)
class Chain:
    """``first op₁ a₁ op₂ a₂ …`` applied left to right; the ops are all ``+ -`` or all ``* /``."""

    first: Node
    rest: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Call:
    name: str  # one of UNARY_FUNCTIONS or BINARY_FUNCTIONS
    args: tuple[Node, ...]


Node = Const | Var | Neg | Pow | Chain | Call

# binding strength, for parentheses when a tree is shown
_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = 1, 2, 3, 4, 5


def _precedence(node: Node) -> int:
    if isinstance(node, Chain):
        return _SUM if node.rest[0][0] in "+-" else _PRODUCT
    if isinstance(node, Neg) or (isinstance(node, Const) and not node.name and node.value < 0):
        return _UNARY
    if isinstance(node, Pow):
        return _POWER
    return _ATOM


def _number(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


class _Html:
    """Qt rich text: italic variables, superscript powers, &minus; and &middot;."""

    def show(self, node: Node, outer: int = 0) -> str:
        text = self.bare(node)
        return f"({text})" if _precedence(node) < outer else text

    def bare(self, node: Node) -> str:
        if isinstance(node, Const):
            if node.name:
                return "&pi;" if node.name == "pi" else "<i>e</i>"
            return ("&minus;" if node.value < 0 else "") + html.escape(_number(abs(node.value)))
        if isinstance(node, Var):
            return f"<i>{node.name}</i>"
        if isinstance(node, Neg):
            return "&minus;" + self.show(node.operand, _UNARY)
        if isinstance(node, Pow):
            return self.show(node.base, _ATOM) + "<sup>" + self.show(node.exponent) + "</sup>"
        if isinstance(node, Call):
            return node.name + "(" + ", ".join(self.show(a) for a in node.args) + ")"
        level = _precedence(node)
        parts = [self.show(node.first, level)]
        for op, operand in node.rest:
            symbol = {"+": " + ", "-": " &minus; ", "*": "&middot;", "/": "/"}[op]
            # keeps the user's grouping: x − (y − 1), x·(y·z), x·(−1)
            parts.append(symbol + self.show(operand, _PRODUCT if level == _SUM else _POWER))
        return "".join(parts)


def to_html(node: Node) -> str:
    """The formula as Qt rich text (for a label), e.g. ``(1 &minus; <i>x</i>)<sup>2</sup>``."""
    return _Html().show(node)
