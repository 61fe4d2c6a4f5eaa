"""One compiled entry point for every optimizer, chosen by its integer id at run time."""

from numba import njit

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


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def optimizer_step(oid, theta, g, vec, sc, h, t):
    """Apply optimizer ``oid``'s update to ``theta`` in place (``g`` may be overwritten).

    ``vec`` (STATE_VECTORS × P) and ``sc`` (STATE_SCALARS) are the run's state, ``h`` its
    hyperparameters in spec order and ``t`` the 1-based step number as a float.
    """
    if oid == 0:
        gd.step(theta, g, vec, sc, h, t)
    elif oid == 1:
        momentum.step(theta, g, vec, sc, h, t)
    elif oid == 2:
        sgd.step(theta, g, vec, sc, h, t)
    elif oid == 3:
        nag.step(theta, g, vec, sc, h, t)
    elif oid == 4:
        adagrad.step(theta, g, vec, sc, h, t)
    elif oid == 5:
        rmsprop.step(theta, g, vec, sc, h, t)
    elif oid == 6:
        adadelta.step(theta, g, vec, sc, h, t)
    elif oid == 7:
        adam.step(theta, g, vec, sc, h, t)
    elif oid == 8:
        adamw.step(theta, g, vec, sc, h, t)
    elif oid == 9:
        adamax.step(theta, g, vec, sc, h, t)
    elif oid == 10:
        nadam.step(theta, g, vec, sc, h, t)
    elif oid == 11:
        radam.step(theta, g, vec, sc, h, t)
    elif oid == 12:
        lion.step(theta, g, vec, sc, h, t)
