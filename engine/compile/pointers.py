"""Arrays as raw addresses and back, inside compiled code.

A compiled function called through its address (:mod:`.compiled_call`) takes a run's rows
as pointers: a call then passes a few scalars instead of exploded array structures (≈ 8
words each), which keeps a non-inlined call within a few nanoseconds of an inlined one.
"""

from numba import types
from numba.core import errors
from numba.extending import intrinsic
from numba.np.arrayobj import populate_array


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
def rows_at(typingctx, ptr, rows, cols):
    """A C-contiguous rows × cols array over ``ptr`` (of its element type): a view, owned
    by the caller.

    (``numba.carray`` would do, but it refuses to run without the reference-counting
    runtime, which the race kernels turn off.)
    """
    if not isinstance(ptr, types.CPointer):
        raise errors.TypingError(f"rows_at needs a pointer, got {ptr}")
    aryty = types.Array(ptr.dtype, 2, "C")
    sig = aryty(ptr, types.intp, types.intp)

    def codegen(context, builder, signature, args):
        data, n_rows, n_cols = args
        itemsize = context.get_constant(types.intp, context.get_abi_sizeof(
            context.get_data_type(ptr.dtype)))
        ary = context.make_array(aryty)(context, builder)
        populate_array(ary, data=data, shape=[n_rows, n_cols],
                       strides=[builder.mul(n_cols, itemsize), itemsize],
                       itemsize=itemsize, meminfo=None)
        return ary._getvalue()

    return sig, codegen
