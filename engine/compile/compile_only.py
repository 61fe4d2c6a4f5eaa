"""Compiling a kernel for its arguments' types without running it."""


def compile_only(call, args) -> None:
    """Compile (or load) the kernel of ``call`` (a DirectCall or a dispatcher) for ``args``,
    without running it: the functions it calls by address need not be compiled yet."""
    dispatcher = getattr(call, "dispatcher", call)
    dispatcher.compile(tuple(dispatcher.typeof_pyval(a) for a in args))
