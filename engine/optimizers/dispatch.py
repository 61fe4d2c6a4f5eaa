"""One compiled entry point for every optimizer, chosen by its integer id at run time.

Its branches are built from the registry (``MODULES``, id = place) by :func:`_step_of`:
a new optimizer needs no line here.

The race kernels of surfaces, formulas and datasets all call this one compiled function,
through its address (``OPTIMIZER_STEP``), so the thirteen update rules are compiled once
(each further copy cost seconds of first-launch compile). It takes the run's rows as raw
pointers: a call then passes eight scalars instead of five exploded array structures
(≈ 40 arguments), which kept a non-inlined call within a few nanoseconds of the fully
inlined kernel.
"""

from llvmlite import ir
from numba import njit, types
from numba.core import errors
from numba.core.compiler import Flags
from numba.extending import intrinsic
from numba.np.arrayobj import populate_array

from ..compile.compiled_call import CompiledFunction
from . import MAX_HYPER, MODULES, STATE_SCALARS, STATE_VECTORS


@intrinsic
def data_pointer(typingctx, arr):
    """The address of ``arr``'s first element (a C-contiguous array or row)."""
    if not (isinstance(arr, types.Array) and arr.layout == "C"):
        raise errors.TypingError(f"data_pointer needs a C-contiguous array, got {arr}")
    sig = types.CPointer(arr.dtype)(arr)

    def codegen(context, builder, signature, args):
        return context.make_array(signature.args[0])(context, builder, args[0]).data

    return sig, codegen


@intrinsic
def _rows(typingctx, ptr, rows, cols):
    """A C-contiguous rows × cols float64 array over ``ptr``: a view, owned by the caller.

    (``numba.carray`` would do, but it refuses to run without the reference-counting
    runtime, which the race kernels turn off.)
    """
    aryty = types.Array(types.float64, 2, "C")
    sig = aryty(ptr, types.intp, types.intp)

    def codegen(context, builder, signature, args):
        data, n_rows, n_cols = args
        itemsize = context.get_constant(types.intp, 8)
        ary = context.make_array(aryty)(context, builder)
        populate_array(ary, data=data, shape=[n_rows, n_cols],
                       strides=[builder.mul(n_cols, itemsize), itemsize],
                       itemsize=itemsize, meminfo=None)
        return ary._getvalue()

    return sig, codegen


def _step_flags():
    """The flags each step is compiled with: those of ``optimizer_step`` (error_model="numpy",
    no reference counting); a subroutine does not inherit its caller's."""
    flags = Flags()
    flags.error_model = "numpy"
    flags.nrt = False
    return flags


@intrinsic
def _step_of(typingctx, oid, theta, g, vec, sc, h, t):
    """``MODULES[oid].step(theta, g, vec, sc, h, t)``; an id past the registry takes no step.

    One LLVM ``switch`` over the registry, each case a call of that module's ``step``
    compiled as a subroutine: a new optimizer needs no line here, and the steps are compiled
    once each, into ``optimizer_step`` alone. (Measured against the hand-written ``elif``
    it replaced: same bits, same speed per step, a first compile of ~3.6 s CPU instead of
    ~2.2 s. Chains of nested inlined closures, a chain or a binary search, compiled 3-4x
    slower; ``literal_unroll`` over the steps makes them first-class function pointers.)
    """
    step_sig = types.none(theta, g, vec, sc, h, t)

    def codegen(context, builder, signature, args):
        oid_, *step_args = args
        done = builder.append_basic_block("stepped")
        switch = builder.switch(oid_, done)
        for module in MODULES:
            case = builder.append_basic_block(f"step_{module.SPEC.key}")
            switch.add_case(ir.Constant(oid_.type, module.SPEC.id), case)
            with builder.goto_block(case):
                step = context.compile_subroutine(builder, module.step.py_func, step_sig,
                                                  flags=_step_flags())
                context.call_internal(builder, step.fndesc, step_sig, step_args)
                builder.branch(done)
        builder.position_at_end(done)
        return context.get_dummy_value()

    return types.none(oid, theta, g, vec, sc, h, t), codegen


# The one signature it is compiled for (OPTIMIZER_STEP below): argument types only, as a call
# site's cache lookup keys it.
ARG_TYPES = (types.int64, types.int64, *[types.CPointer(types.float64)] * 5, types.float64)


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def optimizer_step(oid, P, theta_ptr, g_ptr, vec_ptr, sc_ptr, h_ptr, t):
    """Apply optimizer ``oid``'s update to the P parameters at ``theta_ptr``, in place.

    The pointers (from :func:`data_pointer`) address one run's rows: θ and its gradient g
    (P floats each; g may be overwritten), the state vectors (STATE_VECTORS × P), the
    state scalars (STATE_SCALARS) and the hyperparameters (MAX_HYPER, in spec order).
    ``t`` is the 1-based step number as a float.
    """
    theta = _rows(theta_ptr, 1, P)[0]
    g = _rows(g_ptr, 1, P)[0]
    vec = _rows(vec_ptr, STATE_VECTORS, P)
    sc = _rows(sc_ptr, 1, STATE_SCALARS)[0]
    h = _rows(h_ptr, 1, MAX_HYPER)[0]
    _step_of(oid, theta, g, vec, sc, h, t)


# The race kernels call the step through its address (their argument ``step_at`` =
# OPTIMIZER_STEP.address()): compiled once, not once more inside each race kernel.
OPTIMIZER_STEP = CompiledFunction(optimizer_step, types.none, lambda: ARG_TYPES)
call_optimizer_step = OPTIMIZER_STEP.call
