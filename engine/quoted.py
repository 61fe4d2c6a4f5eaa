"""A bad value quoted in an error message: whole when short, else its start and its length.

A scene file can hold a 5,000-character string where a number belongs; echoing it whole
buries the message (which file, which field, what is allowed) under the value.
"""

from __future__ import annotations

QUOTE_LIMIT = 60  # characters of repr() shown before the value is cut


def quoted(value, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` if at most ``limit`` characters, else its first ``limit`` characters,
    an ellipsis and the value's length: ``'xxxx…' (5000 characters)``."""
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        size = f"{len(value)} characters"
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        size = f"{len(value)} items"
    else:
        size = f"{len(text)} characters as text"
    return f"{text[:limit]}… ({size})"
