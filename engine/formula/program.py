"""An expression tree → data for the one compiled stack machine (:mod:`engine.formula.kernels`).

A formula becomes a :class:`Program`: postfix opcodes (int64) with one float64 argument
each (the constant of ``CONST``, the exponent of ``POWC``), and the stack depth it needs.
Nothing is compiled per formula: every program runs on the same kernels.

Two small rewrites make common formulas cheaper without changing a single bit of the
result: a power with a constant exponent is ``POWC`` (``SQUARE`` for ²), whose derivative
needs no logarithm; unary minus of a literal is already a negative constant (parse).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..quoted import quoted
from .tree import Call, Chain, Const, Neg, Node, Pow, Var

# opcodes: fixed, contiguous; the kernel's if-chain tests the common ones first
X, Y, CONST, ADD, SUB, MUL, DIV, SQUARE, POWC, POW, NEG = range(11)
SIN, COS, TAN, EXP, LOG, LOG1P, SQRT, ABS, TANH, SINH, COSH, ATAN, MIN, MAX = range(11, 25)
N_OPS = 25

FUNCTION_OPS = {"sin": SIN, "cos": COS, "tan": TAN, "exp": EXP, "log": LOG, "log1p": LOG1P,
                "sqrt": SQRT, "abs": ABS, "tanh": TANH, "sinh": SINH, "cosh": COSH, "atan": ATAN,
                "min": MIN, "max": MAX}
_CHAIN_OPS = {"+": ADD, "-": SUB, "*": MUL, "/": DIV}

# The largest stack a program may need; the parser's depth limit keeps real formulas far below.
MAX_STACK = 256


class Program(NamedTuple):
    """What the kernels run: ``op[k]`` with argument ``arg[k]``, in postfix order."""

    op: np.ndarray  # (n,) int64 opcodes
    arg: np.ndarray  # (n,) float64: the constant (CONST) or exponent (POWC), else 0


class Compiled(NamedTuple):
    program: Program
    stack_depth: int  # rows of scratch (value, ∂x, ∂y) the program needs


def build(tree: Node) -> Compiled:
    """Postfix code for ``tree`` and the stack depth it needs."""
    ops: list[int] = []
    args: list[float] = []
    need = _emit(tree, ops, args)
    if need > MAX_STACK:
        raise ValueError(f"the formula needs a stack of {need} values; at most {MAX_STACK} are allowed")
    program = Program(np.array(ops, dtype=np.int64), np.array(args, dtype=np.float64))
    return Compiled(program, max(need, 1))


def _emit(node: Node, ops: list[int], args: list[float]) -> int:
    """Append ``node``'s code; return the stack depth it needs (Sethi–Ullman)."""
    def put(op: int, arg: float = 0.0) -> None:
        ops.append(op)
        args.append(arg)

    if isinstance(node, Const):
        put(CONST, node.value)
        return 1
    if isinstance(node, Var):
        put(X if node.name == "x" else Y)
        return 1
    if isinstance(node, Neg):
        need = _emit(node.operand, ops, args)
        put(NEG)
        return need
    if isinstance(node, Pow):
        need = _emit(node.base, ops, args)
        if isinstance(node.exponent, Const):
            put(SQUARE) if node.exponent.value == 2.0 else put(POWC, node.exponent.value)
            return need
        need = max(need, _emit(node.exponent, ops, args) + 1)
        put(POW)
        return need
    if isinstance(node, Call):
        need = 0
        for i, a in enumerate(node.args):
            need = max(need, _emit(a, ops, args) + i)
        put(FUNCTION_OPS[node.name])
        return need
    if isinstance(node, Chain):
        need = _emit(node.first, ops, args)
        for op, operand in node.rest:
            need = max(need, _emit(operand, ops, args) + 1)
            put(_CHAIN_OPS[op])
        return need
    raise TypeError(f"not a formula node: {quoted(node)}")
