"""A typed formula's tree (:mod:`engine.formula.tree`) as a Python expression over ``Dual``.

The expression is built by walking the tree, never from the user's text, so nothing typed
is ever executed. ``Dual`` (in the exported script) is forward-mode differentiation with
the engine's own rules (:func:`engine.formula.kernels.program_fg`), so an operator here is
one opcode there: ``+ - * /`` of a :class:`Chain` left to right, ``** 2.0`` (SQUARE),
``** c`` for a constant exponent (POWC), ``** e`` for any other (POW), ``-`` (NEG) and the
functions by name. Every constant becomes a ``Dual`` where two constants could otherwise
meet in plain Python arithmetic (``c(2.0) * 3.0``), as every constant is a stack slot
with zero derivatives in the engine.
"""

from __future__ import annotations

from ...formula.tree import Call, Chain, Const, Neg, Node, Pow, Var

# the script's names of the formula's functions (each a method-free helper over Dual)
FUNCTION_NAMES = {"sin", "cos", "tan", "exp", "log", "log1p", "sqrt", "abs", "tanh", "sinh", "cosh",
                  "atan", "min", "max"}


def _number(node: Const) -> str:
    if node.name:
        return f"math.{node.name}"
    return repr(float(node.value))


def lower(node: Node) -> str:
    """``node`` as an expression whose value is a ``Dual``; raises TypeError on a stranger."""
    return _dual(node)


def _dual(node: Node) -> str:
    """An expression that is a Dual (a lone constant is wrapped in ``c(...)``)."""
    if isinstance(node, Const):
        return f"c({_number(node)})"
    return _expr(node)


def _operand(node: Node) -> str:
    """An operand of an operator whose other side is already a Dual: a plain number will do."""
    if isinstance(node, Const):
        text = _number(node)
        return f"({text})" if text.startswith("-") else text
    return _expr(node)


def _expr(node: Node) -> str:
    if isinstance(node, Var):
        if node.name not in ("x", "y"):
            raise TypeError(f"not a formula variable: {node.name!r}")
        return node.name
    if isinstance(node, Const):
        return f"c({_number(node)})"
    if isinstance(node, Neg):
        return f"(-{_dual(node.operand)})"
    if isinstance(node, Pow):
        base = _dual(node.base)
        if isinstance(node.exponent, Const):
            return f"({base} ** {_operand(node.exponent)})"
        return f"({base} ** {_dual(node.exponent)})"
    if isinstance(node, Call):
        if node.name not in FUNCTION_NAMES:
            raise TypeError(f"not a formula function: {node.name!r}")
        return f"{node.name}_({', '.join(_dual(a) for a in node.args)})"
    if isinstance(node, Chain):
        parts = [_dual(node.first)]
        for op, operand in node.rest:
            if op not in "+-*/" or len(op) != 1:
                raise TypeError(f"not a formula operator: {op!r}")
            parts.append(f"{op} {_operand(operand)}")
        return "(" + " ".join(parts) + ")"
    raise TypeError(f"not a formula node: {node!r}")
