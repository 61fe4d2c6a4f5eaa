"""engine.compile.numba_speed: Numba's compile options compare and hash as Numba's own code does."""

from numba.core import errors
from numba.core.compiler import Flags

from descentlab.engine.compile import numba_speed as _numba_speed


def numba_values(flags):
    """Numba's own TargetConfig.values: every option through its property."""
    return {k: getattr(flags, k) for k in flags.options}


def test_installed_on_import_of_the_engine():
    assert Flags.values is _numba_speed._fast_values
    _numba_speed.install()  # idempotent
    assert Flags.values is _numba_speed._fast_values


def test_values_are_numba_values_in_the_same_order():
    flags = Flags()
    assert list(flags.values().items()) == list(numba_values(flags).items())
    flags.nrt = True
    flags.error_model = "numpy"
    flags.boundscheck = True
    assert list(flags.values().items()) == list(numba_values(flags).items())
    assert flags.values()["error_model"] == "numpy"


def test_equality_and_hash_follow_the_values():
    a, b = Flags(), Flags()
    assert a == b and hash(a) == hash(b)
    a.nrt = True
    assert a != b
    b.nrt = True
    assert a == b and hash(a) == hash(b)
    # an option set to its default equals one left unset, as in Numba
    c, d = Flags(), Flags()
    c.boundscheck = Flags.options["boundscheck"].default
    assert c == d
    assert hash(a) == hash(tuple(sorted(numba_values(a))))  # Numba hashes the option names
    assert (a == 3) is False


def test_a_dictionary_keyed_by_flags_finds_equal_flags():
    a = Flags()
    a.nrt = True
    cache = {("ctx", a): 1}
    b = Flags()
    b.nrt = True
    assert cache[("ctx", b)] == 1
    assert ("ctx", Flags()) not in cache


def test_error_messages_are_plain_text():
    scheme = errors.termcolor()
    for method in ("code", "errmsg", "filename", "indicate", "highlight", "reset"):
        assert getattr(scheme, method)("typing failed") == "typing failed"
