"""The optimizer catalogue: one module per optimizer, each with its SPEC and its kernel.

``OPTIMIZERS`` maps a key to its :class:`~engine.spec.OptimizerSpec`. Each module states
its id once, as a module-level ``ID`` that its ``SPEC`` and ``dispatch.optimizer_step``
both use; the ids are 0..N−1 in the order of ``MODULES``.
"""

from . import (
    adadelta,
    adagrad,
    adam,
    adamax,
    adamw,
    gd,
    lion,
    momentum,
    nadam,
    nag,
    radam,
    rmsprop,
    sgd,
)

MODULES = (gd, momentum, sgd, nag, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam,
           radam, lion)

OPTIMIZERS = {m.SPEC.key: m.SPEC for m in MODULES}

# Sizes of the per-run state arrays every kernel gets (the largest any optimizer needs).
STATE_VECTORS = 3  # P-long buffers: m, v, v_max / square_avg, momentum, grad_avg / ...
STATE_SCALARS = 2  # scalars: SGD's "buffer initialised" flag, NAdam's μ product
MAX_HYPER = max(len(m.SPEC.hyper) for m in MODULES)

assert [m.ID for m in MODULES] == list(range(len(MODULES))), "ids must be 0..N-1"
assert all(m.SPEC.id == m.ID for m in MODULES), "each SPEC must use its module's ID"


def get_optimizer(key: str):
    """The spec for ``key``, or a ValueError that lists the valid keys."""
    try:
        return OPTIMIZERS[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown optimizer {key!r}; choose one of: {', '.join(OPTIMIZERS)}"
        ) from None
