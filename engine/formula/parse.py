"""Formula text → the engine's own expression tree, through an allow-list.

The text is parsed with Python's own parser (``ast.parse(text, mode="eval")``) and the
resulting syntax tree is walked against an allow-list into the small tree of
:mod:`engine.formula.tree`; nothing is ever evaluated, executed or compiled by Python, and
nothing is constant-folded (``2 ** 10 ** 10`` is left for the kernel, which gives inf).

Before the parser sees it, the text is checked (length, characters, parenthesis depth)
and ``^`` is rewritten to ``**`` with a map back to the user's columns, since ``^`` means
power here (and ``**`` binds tighter than ``*`` and is right-associative, as a power must).
Every refusal is a :class:`FormulaError` with the 0-based column of the offending
character and a message naming what is wrong and what is allowed.
"""

from __future__ import annotations

import ast

from ..quoted import quoted
from .tree import BINARY_FUNCTIONS, CONSTANTS, UNARY_FUNCTIONS, VARIABLES, Call, Chain, Const, Neg, Node, Pow, Var

MAX_LENGTH = 1000
MAX_DEPTH = 100

ALLOWED = ("allowed: numbers, x, y, pi, e, + - * / ^ **, parentheses, "
           + " ".join(UNARY_FUNCTIONS) + ", min(a, b), max(a, b)")

# characters refused before parsing, and what they would have meant
_CHARACTER_MEANING = {
    "'": "strings", '"': "strings", "[": "subscripts", "]": "subscripts", "{": "braces",
    "}": "braces", "<": "comparisons", ">": "comparisons", "=": "comparisons and assignments",
    "!": "comparisons", ":": "lambdas and slices", ";": "statements", "#": "comments",
    "\\": "backslashes", "@": "matrix products", "%": "remainders", "&": "bitwise operators",
    "|": "bitwise operators", "~": "bitwise operators", "`": "backticks", "$": "'$'",
    "?": "'?'",
}


class FormulaError(ValueError):
    """A formula that cannot be used: ``position`` is the 0-based column of the problem."""

    def __init__(self, message: str, position: int, text: str = ""):
        self.message = message
        self.position = int(position)
        self.text = text
        super().__init__(f"{message} (at column {self.position})")


def parse(text) -> Node:
    """The expression tree of ``text``; FormulaError if it is not in the grammar."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula is text, not {type(text).__name__} {quoted(text)}", 0)
    _check_characters(text)
    python_text, columns = _translate_powers(text)
    try:
        tree = ast.parse(python_text, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, text, columns) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        raise FormulaError(f"the formula is too complex to parse ({type(exc).__name__}); {ALLOWED}", 0,
                           text) from None
    return _Walker(text, columns).node(tree.body, 1)


# -------------------------------------------------------------------- before parsing
def _check_characters(text: str) -> None:
    if not text.strip():
        raise FormulaError(f"the formula is empty; type an expression in x and y, e.g. x^2 + y^2 ({ALLOWED})",
                           0, text)
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula has {len(text)} characters; at most {MAX_LENGTH} are allowed",
                           MAX_LENGTH, text)
    depth = 0
    for i, ch in enumerate(text):
        if ch in _CHARACTER_MEANING:
            raise FormulaError(f"{quoted(ch)}: not allowed ({_CHARACTER_MEANING[ch]}); {ALLOWED}", i, text)
        if not (ch.isascii() and (ch.isalnum() or ch in " \t._+-*/^(),")):
            raise FormulaError(f"character {quoted(ch)} (U+{ord(ch):04X}) is not allowed; {ALLOWED}", i, text)
        if ch == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise FormulaError(f"parentheses nested more than {MAX_DEPTH} deep", i, text)
        elif ch == ")":
            depth = max(0, depth - 1)


def _translate_powers(text: str) -> tuple[str, list[int]]:
    """``text`` with ``^`` as ``**``, and the user's column of every column of the result."""
    out, columns = [], []
    for i, ch in enumerate(text):
        if ch == "^":
            out.append("**")
            columns += [i, i]
        else:
            out.append(ch)
            columns.append(i)
    columns.append(len(text))  # one past the end (errors at the end of the text)
    return "".join(out), columns


def _syntax_error(exc: SyntaxError, text: str, columns: list[int]) -> FormulaError:
    offset = (exc.offset or 0) - 1  # SyntaxError's offset is 1-based; 0: the text ended early
    if offset < 0 or (exc.lineno and exc.lineno > 1):
        offset = len(columns) - 1
    position = columns[min(max(offset, 0), len(columns) - 1)]
    reason = exc.msg or "invalid syntax"
    hint = " (write 2*x for a product)" if "decimal literal" in reason else ""
    return FormulaError(f"syntax error: {reason}{hint}; {ALLOWED}", position, text)


# --------------------------------------------------------------------- the allow-list
_NODE_MEANING = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
    ast.Compare: "comparisons", ast.BoolOp: "'and'/'or'", ast.IfExp: "conditional expressions",
    ast.NamedExpr: "assignments", ast.List: "lists", ast.Tuple: "tuples", ast.Set: "sets",
    ast.Dict: "dictionaries", ast.Starred: "starred arguments", ast.Await: "await",
    ast.Yield: "yield", ast.JoinedStr: "strings", ast.GeneratorExp: "generators",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions", ast.DictComp: "comprehensions",
    ast.Slice: "slices",
}
_CHAIN_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_REFUSED_OPS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
                ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}


class _Walker:
    """Python syntax tree → :mod:`engine.formula.tree`, refusing everything else."""

    def __init__(self, text: str, columns: list[int]):
        self.text = text
        self.columns = columns

    def at(self, node: ast.AST) -> int:
        return self.columns[min(getattr(node, "col_offset", 0), len(self.columns) - 1)]

    def fail(self, message: str, position: int):
        raise FormulaError(message, position, self.text)

    def operator_at(self, node: ast.AST) -> int:
        """The column of a binary or unary operator (the first non-space after the left side)."""
        start = node.left.end_col_offset if isinstance(node, ast.BinOp) else node.col_offset
        start = self.columns[min(start, len(self.columns) - 1)]
        while start < len(self.text) and self.text[start] in " \t)":
            start += 1
        return start

    def node(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            self.fail(f"the formula is nested more than {MAX_DEPTH} deep", self.at(node))
        if isinstance(node, ast.BinOp) and type(node.op) in _CHAIN_OPS:
            return self.chain(node, depth)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                return Pow(self.node(node.left, depth + 1), self.node(node.right, depth + 1))
            symbol = _REFUSED_OPS.get(type(node.op), type(node.op).__name__)
            self.fail(f"operator {quoted(symbol)} is not allowed; {ALLOWED}", self.operator_at(node))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                operand = self.node(node.operand, depth + 1)
                return Const(-operand.value) if isinstance(operand, Const) else Neg(operand)
            if isinstance(node.op, ast.UAdd):
                return self.node(node.operand, depth + 1)
            word = "not" if isinstance(node.op, ast.Not) else "~"
            self.fail(f"operator {quoted(word)} is not allowed; {ALLOWED}", self.at(node))
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        what = _NODE_MEANING.get(type(node), f"{type(node).__name__} expressions")
        position = self.at(node)
        if isinstance(node, (ast.Attribute, ast.Subscript)):  # at the first '.' or '['
            while isinstance(node.value, (ast.Attribute, ast.Subscript)):
                node = node.value
            position = self.columns[min(node.value.end_col_offset, len(self.columns) - 1)]
            while position < len(self.text) and self.text[position] in " \t)":
                position += 1
        return self.fail(f"not allowed: {what}; {ALLOWED}", position)

    def chain(self, node: ast.BinOp, depth: int) -> Chain:
        """A left-leaning run of + − (or of * /), as in ``a - b + c``, as one node, without
        recursion along it, so a long sum costs no nesting depth."""
        spine = []
        additive = _CHAIN_OPS[type(node.op)] in "+-"  # one chain holds one precedence level
        while (isinstance(node, ast.BinOp) and type(node.op) in _CHAIN_OPS
               and (_CHAIN_OPS[type(node.op)] in "+-") == additive):
            spine.append(node)
            node = node.left
        first = self.node(node, depth + 1)
        rest = tuple((_CHAIN_OPS[type(b.op)], self.node(b.right, depth + 1)) for b in reversed(spine))
        return Chain(first, rest)

    def constant(self, node: ast.Constant) -> Const:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            what = "strings" if isinstance(value, (str, bytes)) else f"{type(value).__name__} constants"
            self.fail(f"not allowed: {what} ({quoted(value)}); {ALLOWED}", self.at(node))
        try:
            return Const(float(value))
        except OverflowError:
            return self.fail(f"the number {str(value)[:20]}… is too large for a float64", self.at(node))

    def name(self, node: ast.Name) -> Node:
        if node.id in VARIABLES:
            return Var(node.id)
        if node.id in CONSTANTS:
            return Const(CONSTANTS[node.id], node.id)
        hint = " (write x*y for a product)" if set(node.id) <= {"x", "y"} else ""
        return self.fail(f"unknown name {quoted(node.id)}{hint}; the variables are x and y, the constants pi and e; "
                         f"{ALLOWED}", self.at(node))

    def call(self, node: ast.Call, depth: int) -> Call:
        if not isinstance(node.func, ast.Name):
            self.node(node.func, depth + 1)  # refuses what it can name (attribute access …)
            self.fail(f"only the functions by name can be called; {ALLOWED}",
                      self.columns[min(node.func.end_col_offset, len(self.columns) - 1)])
        name = node.func.id
        arity = 1 if name in UNARY_FUNCTIONS else 2 if name in BINARY_FUNCTIONS else 0
        if not arity:
            self.fail(f"unknown function {quoted(name)}; {ALLOWED}", self.at(node))
        if node.keywords:
            self.fail(f"keyword arguments are not allowed in {name}(); {ALLOWED}", self.at(node.keywords[0].value))
        if len(node.args) != arity:
            # at the first argument too many, or at the closing parenthesis
            where = self.at(node.args[arity]) if len(node.args) > arity else \
                self.columns[min(node.end_col_offset - 1, len(self.columns) - 1)]
            self.fail(f"{name}() takes {arity} argument{'s' if arity > 1 else ''}, not {len(node.args)}",
                      where)
        return Call(name, tuple(self.node(a, depth + 1) for a in node.args))
