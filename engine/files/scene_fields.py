"""Checking the fields of a scene file: each helper returns the value, or raises a SceneError
that names the file and the field (``beale.toml: runs[2].lr: ...``)."""

from __future__ import annotations

import math

from ..quoted import quoted


class SceneError(ValueError):
    """A scene that cannot be used; the message names the file and the field."""


def fail(source: str, where: str, message: str) -> SceneError:
    return SceneError(f"{source}: {where}: {message}" if where else f"{source}: {message}")


def check_keys(source, where, table, allowed):
    if not isinstance(table, dict):
        raise fail(source, where, f"expected a table, got {type(table).__name__}")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise fail(source, f"{where}.{unknown[0]}" if where else unknown[0],
                    f"unknown key; allowed keys: {', '.join(sorted(allowed))}")


def number(source, where, value, *, low=-math.inf, high=math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(source, where, f"expected a number, got {quoted(value)}")
    try:
        value = float(value)
    except OverflowError:  # a TOML integer with hundreds of digits
        value = math.inf if value > 0 else -math.inf
    if not math.isfinite(value) or not (low <= value <= high):
        raise fail(source, where, f"invalid value {quoted(value)} (allowed: {range_text(low, high)})")
    return value


def range_text(low: float, high: float) -> str:
    """'a finite number', 'a finite number >= 0' or '[0, 1]': what a number field takes."""
    if math.isinf(low) and math.isinf(high):
        return "a finite number"
    if math.isinf(high):
        return f"a finite number >= {low:g}"
    if math.isinf(low):
        return f"a finite number <= {high:g}"
    return f"[{low:g}, {high:g}]"


def pair(source, where, value, *, increasing=False) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise fail(source, where, f"expected two numbers like [-2.0, 2.0], got {quoted(value)}")
    a, b = (number(source, f"{where}[{i}]", v) for i, v in enumerate(value))
    if increasing and not a < b:
        raise fail(source, where, f"the first number must be below the second, got {quoted(value)}")
    return a, b


def string(source, where, value, max_len=200) -> str:
    if not isinstance(value, str):
        raise fail(source, where, f"expected a string, got {quoted(value)}")
    if len(value) > max_len:
        raise fail(source, where, f"too long ({len(value)} characters, at most {max_len})")
    return value


LANGUAGE_CODES = ("en", "zh_CN")  # the languages a text in a scene or lesson may be given in


def local_text(source, where, value, max_len=200) -> str:
    """A plain string (one language), or a table of languages like
    ``{ en = "From SGD to Adam", zh_CN = "从 SGD 到 Adam" }`` (a LocalText)."""
    from ..translatable import LocalText

    if not isinstance(value, dict):
        return string(source, where, value, max_len)
    if not value:
        raise fail(source, where, "expected at least one language, like { en = \"...\" }")
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            raise fail(source, f"{where}.{code}",
                       f"unknown language {quoted(code)}; choose one of: {', '.join(LANGUAGE_CODES)}")
        string(source, f"{where}.{code}", text, max_len)
    return LocalText(value)


def choice(source, where, value, catalogue, what: str) -> str:
    """``value`` if it is a key of ``catalogue``, else a SceneError listing the keys."""
    if not isinstance(value, str) or value not in catalogue:
        raise fail(source, where, f"unknown {what} {quoted(value)}; choose one of: {', '.join(catalogue)}")
    return value


def integer(source, where, value, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(source, where, f"expected an integer in [{low}, {high}], got {quoted(value)}")
    return value
