"""Call a compiled function from other kernels through its address, not through a linked copy.

When one Numba function calls another, Numba links the callee's whole LLVM code into the
caller's module, optimises it again and generates its machine code again — for every
caller. The dataset objective (the network, the loss table, back-propagation) was compiled
once for itself and then twice more, inside ``objective_rows`` and ``advance_dataset``: about
a quarter of the dataset kernels' first-launch compile time.

A :class:`CompiledFunction` is compiled once, for one fixed signature, and its callers
call it through its entry address, which they receive as an ordinary integer argument
(:meth:`CompiledFunction.address`). The address is never a constant in the callers' code,
so they stay cacheable; it is the address of the compiled version of exactly the declared
signature, and :meth:`CompiledFunction.call` refuses, when a caller is compiled, arguments
that do not convert to that signature, so a caller and its callee cannot disagree about
the arguments they exchange.

>>> SQUARE = CompiledFunction(square, types.float64, lambda: (types.float64,))
>>> call_square = SQUARE.call  # a global name: Numba cannot look attributes up
>>> @njit
... def twice(square_at, x):
...     return 2.0 * call_square(square_at, x)
>>> twice(SQUARE.address(), 3.0)  # doctest: +SKIP
18.0
"""

from __future__ import annotations

import threading
from functools import cached_property

from numba import types
from numba.core import cgutils, errors
from numba.extending import intrinsic


class Signature:
    """What a function called through an address takes and returns: ``restype(*argtypes())``.

    ``call`` is an intrinsic for use inside compiled functions: ``call(address, *args)``,
    refused when the caller is compiled unless the arguments convert to ``argtypes``.
    ``argtypes`` is a function returning the Numba types (called when first needed, so that
    building them costs nothing at import).
    """

    def __init__(self, name: str, restype, argtypes):
        self._name = name
        self.restype = restype
        self._argtypes = argtypes
        self.call = _caller(self)

    @cached_property
    def argtypes(self) -> tuple:
        return tuple(self._argtypes())

    @property
    def name(self) -> str:
        return self._name


class CompiledFunction(Signature):
    """``dispatcher`` compiled for the one signature ``restype(*argtypes())``, called through
    the address :meth:`address` gives."""

    def __init__(self, dispatcher, restype, argtypes):
        super().__init__(dispatcher.py_func.__qualname__, restype, argtypes)
        self.dispatcher = dispatcher
        self._address = 0
        self._lock = threading.Lock()

    def compiled_address(self) -> int:
        """The entry address if the function has been compiled or loaded here, else 0."""
        return self._address

    def address(self) -> int:
        """The entry address of the compiled function (compiling or loading it first)."""
        if not self._address:
            with self._lock:
                if not self._address:
                    self.dispatcher.compile(self.argtypes)
                    compiled = self.dispatcher.overloads[self.argtypes]
                    address = compiled.library.get_pointer_to_function(
                        compiled.fndesc.llvm_func_name)
                    if not address:  # pragma: no cover - Numba defines what it compiled
                        raise RuntimeError(f"{self.name}: no compiled entry point")
                    self._address = address
        return self._address


def _caller(function: Signature):
    @intrinsic
    def call(typingctx, address, *args):
        expected = function.argtypes
        if not isinstance(address, types.Integer):
            raise errors.TypingError(f"{function.name}'s address must be an integer, got {address}")
        bad = len(args) != len(expected) or any(
            typingctx.can_convert(got, want) is None for got, want in zip(args, expected, strict=True))
        if bad:
            raise errors.TypingError(
                f"{function.name} is compiled for ({', '.join(map(str, expected))}); "
                f"called with ({', '.join(map(str, args))})")
        packed = types.StarArgTuple.from_types(args)
        sig = function.restype(address, packed)

        def codegen(context, builder, signature, llargs):
            values = [context.cast(builder, v, got, want) for v, got, want
                      in zip(cgutils.unpack_tuple(builder, llargs[1]), args, expected, strict=True)]
            fnty = context.call_conv.get_function_type(function.restype, expected)
            callee = builder.inttoptr(llargs[0], fnty.as_pointer())
            status, result = context.call_conv.call_function(
                builder, callee, function.restype, expected, values)
            with cgutils.if_unlikely(builder, status.is_error):
                context.call_conv.return_status_propagate(builder, status)
            return result

        return sig, codegen

    return call
