"""The optimizer registry: one module per optimizer, registered by one line in ``NAMES``.

A module states its optimizer once: its ``SPEC`` (name, hyperparameters, rule), its compiled
``step`` and, for the explain mode, ``STATE_NAMES``, ``explain`` and ``walk``
(:mod:`._explain`). An optimizer's id is its place in ``NAMES``: the registry writes it into
the module's ``SPEC``, and the compiled dispatch (:mod:`.dispatch`), the specs, explain/walk
and the tests all follow from ``MODULES``.
"""

from dataclasses import replace
from importlib import import_module

from ..quoted import quoted

NAMES = (
    "gd",
    "momentum",
    "sgd",
    "nag",
    "adagrad",
    "rmsprop",
    "adadelta",
    "adam",
    "adamw",
    "adamax",
    "nadam",
    "radam",
    "lion",
    "rprop",
    "asgd",
    "adafactor",
    "muon",
    "newton",
    "damped_newton",
    "lbfgs",
)


def _registered(oid: int, name: str):
    """Module ``name``, its SPEC given id ``oid`` (one spec object: the module's is the
    registry's)."""
    module = import_module(f".{name}", __name__)
    module.SPEC = replace(module.SPEC, id=oid)
    return module


MODULES = tuple(_registered(oid, name) for oid, name in enumerate(NAMES))

OPTIMIZERS = {m.SPEC.key: m.SPEC for m in MODULES}

# Sizes of the per-run state arrays every kernel gets (the largest any optimizer needs).
STATE_VECTORS = 3  # P-long buffers: m, v, v_max / square_avg, momentum, grad_avg / ...
STATE_SCALARS = 2  # scalars: SGD's "buffer initialised" flag, NAdam's μ product
MAX_HYPER = max(len(m.SPEC.hyper) for m in MODULES)


def get_optimizer(key: str):
    """The spec for ``key``, or a ValueError that lists the valid keys."""
    try:
        return OPTIMIZERS[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown optimizer {quoted(key)}; choose one of: {', '.join(OPTIMIZERS)}"
        ) from None


def module_for(key: str):
    """The module of optimizer ``key`` (its ``step``, ``explain``, ``walk``)."""
    return MODULES[get_optimizer(key).id]
