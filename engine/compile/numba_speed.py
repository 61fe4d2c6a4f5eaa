"""Two of Numba's own costs taken out of a first launch's compile; nothing it computes changes.

Measured with ``benchmarks/compile_profile.py`` and cProfile on the race group (numba 0.68):

- **Compile-option comparisons.** Every resolution of an overloaded function looks its
  implementation up in a cache keyed by the compile options, and hashing and comparing the
  options rebuilds a dict of all ~40 of them through property getters each time: about a
  tenth of the compile. ``values`` is rebuilt here from the stored values and the defaults
  directly (the same dict, in the same order) and ``__hash__`` hashes the option names, as
  Numba's own does (``hash(tuple(sorted(self.values())))`` sorts the dict's keys).
- **Coloured error messages.** Numba tries several typing templates per operation and
  formats an error message for each one that does not apply; with colorama installed,
  each message initialises and tears down colorama's stream wrappers. The messages are
  thrown away, so plain text does (Numba's own ``NUMBA_DISABLE_ERROR_MESSAGE_HIGHLIGHTING``
  does the same, but only if set before Numba is imported).

``install`` is idempotent and leaves a Numba without these internals alone.
"""

from __future__ import annotations


class _PlainText:
    """Numba's colour scheme interface, returning every message unchanged."""

    def code(self, msg):
        return msg

    errmsg = filename = indicate = highlight = reset = code


def _fast_values(self):
    cls = type(self)
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = {k: opt.default for k, opt in cls.options.items()}
    stored = self._values
    return {k: stored.get(k, d) for k, d in defaults.items()}


def _fast_hash(self):
    cls = type(self)
    h = _HASHES.get(cls)
    if h is None:
        h = _HASHES[cls] = hash(tuple(sorted(cls.options)))
    return h


def _fast_eq(self, other):
    if self is other:
        return True
    if isinstance(other, _TargetConfig):
        return _fast_values(self) == _fast_values(other)
    return NotImplemented


_DEFAULTS: dict = {}
_HASHES: dict = {}
_TargetConfig = None


def install() -> None:
    global _TargetConfig
    try:
        from numba.core import errors, targetconfig
    except ImportError:  # pragma: no cover - numba is a dependency
        return
    cls = getattr(targetconfig, "TargetConfig", None)
    if cls is not None and hasattr(cls, "options") and cls.values is not _fast_values:
        _TargetConfig = cls
        cls.values = _fast_values
        cls.__hash__ = _fast_hash
        cls.__eq__ = _fast_eq
    if hasattr(errors, "_termcolor_inst") and callable(getattr(errors, "termcolor", None)):
        errors._termcolor_inst = _PlainText()
