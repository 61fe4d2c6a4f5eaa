"""A race kernel's evaluator handed, as two addresses, to a rule compiled once (L-BFGS).

torch's L-BFGS calls the problem itself (``optimizer.step(closure)``). Compiled with the
evaluator as an argument, its long step (line search included) would be compiled again for
every kernel and inlined into each: seconds of first-launch compile apiece. Instead the
rule is a :class:`~.compiled_call.CompiledFunction` compiled once, and a kernel gives it a
closure as two integers (:func:`bind_closure`): the address of a small entry compiled
into the kernel, which calls the kernel's evaluator ``fg(ctx, x, g) -> f``, and the address
of the kernel's ``ctx``, kept on the kernel's stack for the call. The rule calls the
closure with :data:`CLOSURE`'s ``call(closure_at, ctx_at, P, x_ptr, g_ptr)``: f at the P
parameters at ``x_ptr``, the gradient written at ``g_ptr``.
"""

from __future__ import annotations

from functools import cache

from numba import types
from numba.core import cgutils, errors
from numba.core.compiler import Flags
from numba.extending import intrinsic

from .compiled_call import Signature
from .pointers import rows_at

_F64_PTR = types.CPointer(types.float64)
CLOSURE = Signature("closure", types.float64, lambda: (types.int64, types.intp, _F64_PTR, _F64_PTR))
call_closure = CLOSURE.call  # a global name: Numba cannot look attributes up


@cache
def _loader(ctx_type):
    """An intrinsic ``load(address) -> ctx``: the value :func:`bind_closure` stored there."""

    @intrinsic
    def load(typingctx, address):
        def codegen(context, builder, signature, args):
            ptr = builder.inttoptr(args[0], context.get_value_type(ctx_type).as_pointer())
            value = builder.load(ptr)
            if context.enable_nrt:  # an intrinsic's result is a new reference
                context.nrt.incref(builder, ctx_type, value)
            return value

        return ctx_type(types.int64), codegen

    return load


@cache
def _entry(fg, ctx_type):
    """The closure's compiled entry: ``fg(ctx, x, g)`` with the arguments as addresses."""
    load = _loader(ctx_type)

    def closure_entry(ctx_at, P, x_ptr, g_ptr):
        return fg(load(ctx_at), rows_at(x_ptr, 1, P)[0], rows_at(g_ptr, 1, P)[0])

    return closure_entry


def _entry_flags() -> Flags:
    flags = Flags()
    flags.error_model = "numpy"  # as the race kernels: a division by zero is inf, not an error
    flags.nrt = False
    return flags


@intrinsic
def bind_closure(typingctx, fg, ctx):
    """``(closure_at, ctx_at)`` for ``fg(ctx, x, g) -> f`` (a compiled function): the ctx is
    copied into the calling function's stack, so both stay valid while that function runs."""
    if not isinstance(fg, types.Dispatcher):
        raise errors.TypingError(f"bind_closure needs a compiled function, got {fg}")
    sig = types.UniTuple(types.int64, 2)(fg, ctx)

    def codegen(context, builder, signature, args):
        entry = context.compile_subroutine(builder, _entry(fg.dispatcher, ctx),
                                           CLOSURE.restype(*CLOSURE.argtypes), flags=_entry_flags())
        function = context.declare_function(builder.module, entry.fndesc)
        slot = cgutils.alloca_once(builder, context.get_value_type(ctx))  # in the entry block
        builder.store(args[1], slot)
        i64 = context.get_value_type(types.int64)
        return context.make_tuple(builder, signature.return_type,
                                  [builder.ptrtoint(function, i64), builder.ptrtoint(slot, i64)])

    return sig, codegen
