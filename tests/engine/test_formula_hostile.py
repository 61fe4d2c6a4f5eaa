"""Typed formulas refuse everything outside the grammar, execute nothing, and never hang."""

import ast
import builtins
import contextlib
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from descentlab import engine
from descentlab.engine.formula import MAX_DEPTH, MAX_LENGTH, parse

# (text, the column the error must point at, a word the message must contain)
HOSTILE = [
    ("__import__('os').system('touch MARKER')", 11, "strings"),
    ("().__class__", 2, "attribute"),
    ("x.__class__.__bases__", 1, "attribute"),
    ("x.real", 1, "attribute"),
    ("x[0]", 1, "subscripts"),
    ("'a'", 0, "strings"),
    ('"a" + x', 0, "strings"),
    ("lambda: 1", 6, "lambdas"),
    ("x < y", 2, "comparisons"),
    ("x == y", 2, "comparisons"),
    ("x = 1", 2, "assignments"),
    ("foo(x)", 0, "unknown function 'foo'"),
    ("eval(x)", 0, "unknown function 'eval'"),
    ("sentinel_for_tests()", 0, "unknown function"),
    ("sin(x, y)", 7, "takes 1 argument"),
    ("min(x)", 5, "takes 2 arguments"),
    ("max(x, y, 1)", 10, "takes 2 arguments"),
    ("sin(**x)", 6, "keyword"),
    ("sin(*x)", 4, "starred"),
    ("sin(x)(y)", 6, "only the functions by name"),
    ("z + x", 0, "unknown name 'z'"),
    ("xy", 0, "x*y"),
    ("x // y", 2, "'//'"),
    ("x % y", 2, "remainders"),
    ("x @ y", 2, "matrix"),
    ("x & y", 2, "bitwise"),
    ("~x", 0, "bitwise"),
    ("not x", 0, "not"),
    ("x and y", 0, "and"),
    ("x if y else 1", 0, "conditional"),
    ("x, y", 0, "tuples"),
    ("{x}", 0, "braces"),
    ("(a := 1)", 3, "lambdas"),
    ("True + x", 0, "bool"),
    ("1j * x", 0, "complex"),
    ("x # comment", 2, "comments"),
    ("x;y", 1, "statements"),
    ("x\ny", 1, "'\\n'"),
    ("2x", 0, "2*x"),
    ("sin x", 4, "syntax"),
    ("(x", 0, "never closed"),
    ("x)", 1, "unmatched"),
    ("x^^2", 2, "syntax"),
    ("x +", 3, "syntax"),
    ("sin(x", 3, "never closed"),
    ("π*x", 0, "U+03C0"),
    ("x·y", 1, "U+00B7"),
    ("ｘ", 0, "U+FF58"),  # a full-width x: not ASCII, refused (no NFKC folding to x)
    ("", 0, "empty"),
    ("   ", 0, "empty"),
    ("x" + " + x" * 300, MAX_LENGTH, "at most 1000"),
    ("(" * 101 + "x" + ")" * 101, MAX_DEPTH, "nested"),
    ("-" * 150 + "x", MAX_DEPTH, "nested"),
    ("sin(" * 120 + "x" + ")" * 120, 4 * MAX_DEPTH + 3, "nested"),
    ("x^" * 150 + "x", None, "nested"),
    ("9" * 400, 0, "too large"),
]


@contextlib.contextmanager
def watching_builtins():
    """Record (and refuse) every eval/exec, every compile to code (ast.parse's compile to a
    tree is fine) and every call of a sentinel builtin while the block runs. Only around
    ``parse``: Numba itself uses exec, so nothing compiled may run inside."""
    calls = []
    real_compile = builtins.compile

    def compile_guard(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            calls.append(("compile", source))
            raise AssertionError("compile to code")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def refuse(name):
        def guard(*args, **kwargs):
            calls.append((name, args))
            raise AssertionError(name)
        return guard

    saved = {n: getattr(builtins, n) for n in ("compile", "eval", "exec")}
    builtins.compile, builtins.eval, builtins.exec = compile_guard, refuse("eval"), refuse("exec")
    builtins.sentinel_for_tests = refuse("sentinel_for_tests")
    try:
        yield calls
    finally:
        for n, f in saved.items():
            setattr(builtins, n, f)
        del builtins.sentinel_for_tests


def test_the_watch_lets_ast_parse_through_and_sees_the_rest():
    with watching_builtins() as calls:
        parse("x + y")  # ast.parse → compile(…, PyCF_ONLY_AST): a tree, no code
        with pytest.raises(AssertionError):
            eval("1")
    assert calls == [("eval", ("1",))]


def test_the_engine_never_calls_eval_exec_compile_or_sympy_on_text():
    root = Path(engine.__file__).parent
    for path in sorted((root / "formula").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        called = {n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
                  for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert not called & {"eval", "exec", "compile", "sympify", "parse_expr", "__import__"}, path
        assert "sympy" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("text, position, word", HOSTILE, ids=[repr(h[0][:24]) for h in HOSTILE])
def test_hostile_input_is_refused_with_a_position(tmp_path, text, position, word):
    marker = tmp_path / "pwned"
    text = text.replace("MARKER", str(marker))
    with watching_builtins() as calls, pytest.raises(engine.FormulaError) as info:
        parse(text)
    assert calls == [] and not marker.exists()
    err = info.value
    assert isinstance(err, ValueError)
    assert word in err.message, err.message
    if position is not None:
        assert err.position == position, err
    assert 0 <= err.position <= len(text)
    with pytest.raises(engine.FormulaError) as again:
        engine.FormulaSurface(text)
    assert again.value.position == err.position and not marker.exists()


def test_huge_powers_are_not_folded_they_evaluate_to_inf():
    text = "2 ** 10 ** 10 ** 10 + x^2^3^4^5"
    with watching_builtins() as calls:
        parse(text)  # returns at once: nothing is evaluated while parsing
    assert calls == []
    assert engine.FormulaSurface(text, minima=[]).f(0.5, 0.0) == math.inf


def test_messages_name_what_is_allowed():
    with pytest.raises(engine.FormulaError) as info:
        parse("x.real")
    assert "allowed:" in str(info.value) and "min(a, b)" in str(info.value)
    assert "column 1" in str(info.value)


def test_not_text_is_refused():
    with pytest.raises(engine.FormulaError, match="not int"):
        engine.FormulaSurface(3)


def test_the_longest_and_deepest_allowed_formulas_work():
    long = "x" + " + x" * ((MAX_LENGTH - 1) // 4)
    assert len(long) <= MAX_LENGTH
    assert engine.FormulaSurface(long, minima=[]).f(1.0, 0.0) == (MAX_LENGTH - 1) // 4 + 1
    deep = "(" * 99 + "x" + ")" * 99
    assert engine.FormulaSurface(deep, minima=[]).f(2.0, 0.0) == 2.0
    nested = "sin(" * 90 + "x" + ")" * 90
    assert math.isfinite(engine.FormulaSurface(nested, minima=[]).f(1.0, 0.0))


# ------------------------------------------------------------------ random formulas
NUMBERS = st.one_of(st.integers(0, 10**6).map(str),
                    st.floats(0, 1e6, allow_nan=False, allow_infinity=False).map(repr),
                    st.sampled_from(["1e-3", ".5", "2.", "1e300", "0"]))
LEAVES = st.one_of(NUMBERS, st.sampled_from(["x", "y", "pi", "e"]))
UNARY = ["sin", "cos", "tan", "exp", "log", "log1p", "sqrt", "abs", "tanh", "sinh", "cosh", "atan"]


def _compound(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "^", "**"]), children)
        .map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        children.map(lambda a: f"({a})"),
        children.map(lambda a: f"-{a}"),
        st.tuples(st.sampled_from(UNARY), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    )


FORMULAS = st.recursive(LEAVES, _compound, max_leaves=30)
JUNK = st.text(alphabet="xy0123456789.+-*/^(),e pisnmaqrtlogbhc_[]'=<", max_size=40)
POINTS = np.array([[0.0, 0.0], [0.5, -1.5], [-2.0, 3.0], [1e3, -1e3]])


def _check(text: str) -> None:
    try:
        surface = engine.FormulaSurface(text, minima=[])
    except engine.FormulaError as err:
        assert 0 <= err.position <= len(text)
        return
    loss, grad, gnorm = surface.evaluate(POINTS)  # finite, inf or NaN: never an exception
    assert loss.shape == (4,) and grad.shape == (4, 2) and gnorm.shape == (4,)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMULAS)
def test_random_formulas_from_the_grammar_never_crash(text):
    _check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JUNK)
def test_random_junk_never_crashes(text):
    _check(text)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMULAS)
def test_random_formulas_race_and_find_minima_without_raising(text):
    try:
        problem = engine.FormulaSurface(text)
    except engine.FormulaError:
        return
    assert problem.minima.shape[1] == 2 and problem.minima.shape[0] == problem.minima_values.size
    race = engine.Race(problem)
    race.add_run("adam", lr=0.1)
    race.add_run("gd", lr=0.01)
    race.advance(50)
    assert len(race.snapshot().runs) == 2
