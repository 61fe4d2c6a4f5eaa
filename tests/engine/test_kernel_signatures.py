"""Compiled kernels take named bundles, not long argument lists."""

import importlib
import pkgutil

import numba

from descentlab import engine

MAX_POSITIONAL = 16


def compiled_functions():
    for info in pkgutil.walk_packages(engine.__path__, "descentlab.engine."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, numba.core.registry.CPUDispatcher) and \
                    value.py_func.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", value.py_func.__code__.co_argcount


def test_no_compiled_function_takes_more_than_16_positional_parameters():
    found = dict(compiled_functions())
    assert "descentlab.engine.surface.race_kernel.advance_surface" in found
    assert "descentlab.engine.data.kernels.advance_dataset" in found
    too_long = {name: n for name, n in found.items() if n > MAX_POSITIONAL}
    assert not too_long, f"pass bundles (engine.race.state, engine.data.bundles) instead: {too_long}"
