"""Call a compiled kernel without Numba's per-call type dispatch.

Numba's dispatcher works out the type of every argument on every call; for a named tuple
of arrays that takes microseconds (≈ 4 µs per race chunk with the engine's bundles, more
than 10 runs × 1 step of work). The race kernels are called with arguments of the same
types every time — the bundles are built by :mod:`engine.race.state` with fixed dtypes — so
after the first call, which goes through the dispatcher (and compiles or loads the
kernel), :class:`DirectCall` calls the compiled entry point of that signature directly.
"""

from __future__ import annotations


def _key(args) -> tuple:
    """What must not change between calls: each argument's Python type. The arrays' dtypes
    and ranks are fixed by construction (engine.race.state, the problems' own arrays)."""
    return tuple(map(type, args))


class DirectCall:
    def __init__(self, dispatcher):
        self.dispatcher = dispatcher
        self._entries: dict[tuple, object] = {}

    def __call__(self, *args):
        key = _key(args)
        entry = self._entries.get(key)
        if entry is not None:
            return entry(*args)
        result = self.dispatcher(*args)  # compiles or loads the kernel for these types
        sig = tuple(self.dispatcher.typeof_pyval(a) for a in args)
        compiled = self.dispatcher.overloads.get(sig)
        if compiled is not None:
            self._entries[key] = compiled.entry_point
        return result
