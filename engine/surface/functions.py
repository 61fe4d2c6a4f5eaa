"""Numba kernels for the 2-D loss surfaces: value and analytic gradient.

Every surface is one small compiled function ``_f_<key>(x, y) -> (f, gx, gy)``.
:func:`surface_fg` dispatches on a small integer id with one if/elif chain, so a
kernel that steps many runs calls one function for every surface and nothing is
ever compiled per surface.  The ids below are the single source of truth;
``engine.surface.catalogue`` imports them (this module must not import ``engine.surface.catalogue``).

Pass ``sid`` as an integer and ``x``, ``y`` as float64 so that each dispatcher
compiles exactly one specialisation.

The surface functions are inlined into the dispatcher (``inline="always"``): measured
here, that halves the dispatcher's cold compile (1.2 s → 0.7 s) and makes an evaluation
about twice as fast, since no call crosses a function boundary.
"""

import math

import numpy as np
from numba import njit

# Surface ids: fixed, contiguous, in catalogue order.
ROSENBROCK = 0
BEALE = 1
HIMMELBLAU = 2
ELLIPSE = 3
BOWL = 4
SADDLE = 5
VALLEY = 6
PLATEAU = 7
RASTRIGIN = 8
ACKLEY = 9
BOOTH = 10
GOLDSTEIN_PRICE = 11
SIX_HUMP_CAMEL = 12
STYBLINSKI_TANG = 13
TWO_WELL = 14
MATYAS = 15
THREE_HUMP_CAMEL = 16
MCCORMICK = 17
N_SURFACES = 18

_TWO_PI = 2.0 * math.pi


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_rosenbrock(x, y):
    """(1 − x)² + 100(y − x²)²  (Rosenbrock 1960)."""
    a = 1.0 - x
    b = y - x * x
    return a * a + 100.0 * b * b, -2.0 * a - 400.0 * x * b, 200.0 * b


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_beale(x, y):
    """(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²  (Beale 1958)."""
    y2 = y * y
    y3 = y2 * y
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y2
    t3 = 2.625 - x + x * y3
    f = t1 * t1 + t2 * t2 + t3 * t3
    gx = 2.0 * (t1 * (y - 1.0) + t2 * (y2 - 1.0) + t3 * (y3 - 1.0))
    gy = 2.0 * x * (t1 + 2.0 * y * t2 + 3.0 * y2 * t3)
    return f, gx, gy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_himmelblau(x, y):
    """(x² + y − 11)² + (x + y² − 7)²  (Himmelblau 1972)."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return a * a + b * b, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_ellipse(x, y):
    """x²/4 + 8y²: axis-aligned quadratic bowl, condition number 32."""
    return 0.25 * x * x + 8.0 * y * y, 0.5 * x, 16.0 * y


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_bowl(x, y):
    """(x² + y²)/2: isotropic quadratic bowl, condition number 1."""
    return 0.5 * (x * x + y * y), x, y


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_saddle(x, y):
    """x² − y² + y⁴/2: saddle at the origin, minima at (0, ±1)."""
    y2 = y * y
    return x * x - y2 + 0.5 * y2 * y2, 2.0 * x, 2.0 * y * (y2 - 1.0)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_valley(x, y):
    """4(x − y)² + (x + y)²/20: straight ravine along y = x, condition number 80."""
    d = x - y
    s = x + y
    return 4.0 * d * d + 0.05 * s * s, 8.0 * d + 0.1 * s, -8.0 * d + 0.1 * s


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_plateau(x, y):
    """1 − exp(−(x² + y²)/2): Gaussian well in a nearly flat plain."""
    e = math.exp(-0.5 * (x * x + y * y))
    return 1.0 - e, x * e, y * e


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_rastrigin(x, y):
    """20 + x² + y² − 10(cos 2πx + cos 2πy)  (Rastrigin 1974)."""
    f = 20.0 + x * x + y * y - 10.0 * (math.cos(_TWO_PI * x) + math.cos(_TWO_PI * y))
    gx = 2.0 * x + 10.0 * _TWO_PI * math.sin(_TWO_PI * x)
    gy = 2.0 * y + 10.0 * _TWO_PI * math.sin(_TWO_PI * y)
    return f, gx, gy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_ackley(x, y):
    """−20·exp(−0.2√(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20  (Ackley 1987).

    The cone at the origin has no gradient; the kernel returns 0 there, not NaN.
    Written so that f(0, 0) is exactly 0.
    """
    r = math.sqrt(0.5 * (x * x + y * y))
    e1 = math.exp(-0.2 * r)
    e2 = math.exp(0.5 * (math.cos(_TWO_PI * x) + math.cos(_TWO_PI * y)))
    f = 20.0 * (1.0 - e1) + (math.e - e2)
    if r == 0.0:
        return f, 0.0, 0.0
    c = 2.0 * e1 / r  # d/dx of −20·exp(−0.2r) is 2x·exp(−0.2r)/r
    gx = c * x + math.pi * math.sin(_TWO_PI * x) * e2
    gy = c * y + math.pi * math.sin(_TWO_PI * y) * e2
    return f, gx, gy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_booth(x, y):
    """(x + 2y − 7)² + (2x + y − 5)²  (Booth function)."""
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return a * a + b * b, 2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_goldstein_price(x, y):
    """[1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]
    · [30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]  (Goldstein & Price 1971)."""
    a = x + y + 1.0
    b = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    p = 1.0 + a * a * b
    dp = 2.0 * a * b + a * a * (-14.0 + 6.0 * x + 6.0 * y)  # ∂p/∂x = ∂p/∂y
    c = 2.0 * x - 3.0 * y
    d = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    q = 30.0 + c * c * d
    dqx = 4.0 * c * d + c * c * (-32.0 + 24.0 * x - 36.0 * y)
    dqy = -6.0 * c * d + c * c * (48.0 - 36.0 * x + 54.0 * y)
    return p * q, dp * q + p * dqx, dp * q + p * dqy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_six_hump_camel(x, y):
    """(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²  (Dixon & Szegő 1978)."""
    x2 = x * x
    y2 = y * y
    f = (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2
    gx = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y
    gy = x - 8.0 * y + 16.0 * y2 * y
    return f, gx, gy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_styblinski_tang(x, y):
    """½(x⁴ − 16x² + 5x + y⁴ − 16y² + 5y)  (Styblinski & Tang 1990)."""
    x2 = x * x
    y2 = y * y
    f = 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y)
    gx = 2.0 * x2 * x - 16.0 * x + 2.5
    gy = 2.0 * y2 * y - 16.0 * y + 2.5
    return f, gx, gy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_two_well(x, y):
    """(x² − 1)² + x/2 + y²: tilted double well, global minimum on the left."""
    w = x * x - 1.0
    return w * w + 0.5 * x + y * y, 4.0 * x * w + 0.5, 2.0 * y


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_matyas(x, y):
    """0.26(x² + y²) − 0.48xy  (Matyas function)."""
    f = 0.26 * (x * x + y * y) - 0.48 * x * y
    return f, 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_three_hump_camel(x, y):
    """2x² − 1.05x⁴ + x⁶/6 + xy + y²  (three-hump camel)."""
    x2 = x * x
    x4 = x2 * x2
    f = 2.0 * x2 - 1.05 * x4 + x4 * x2 / 6.0 + x * y + y * y
    gx = 4.0 * x - 4.2 * x2 * x + x4 * x + y
    gy = x + 2.0 * y
    return f, gx, gy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _f_mccormick(x, y):
    """sin(x + y) + (x − y)² − 1.5x + 2.5y + 1  (McCormick 1976)."""
    d = x - y
    c = math.cos(x + y)
    f = math.sin(x + y) + d * d - 1.5 * x + 2.5 * y + 1.0
    return f, c + 2.0 * d - 1.5, c - 2.0 * d + 2.5


@njit(cache=True, nogil=True, error_model="numpy")
def surface_fg(sid, x, y):
    """Value and gradient ``(f, gx, gy)`` of surface ``sid`` at (x, y).

    An unknown id gives ``(nan, nan, nan)``.
    """
    if sid == ROSENBROCK:
        return _f_rosenbrock(x, y)
    elif sid == BEALE:
        return _f_beale(x, y)
    elif sid == HIMMELBLAU:
        return _f_himmelblau(x, y)
    elif sid == ELLIPSE:
        return _f_ellipse(x, y)
    elif sid == BOWL:
        return _f_bowl(x, y)
    elif sid == SADDLE:
        return _f_saddle(x, y)
    elif sid == VALLEY:
        return _f_valley(x, y)
    elif sid == PLATEAU:
        return _f_plateau(x, y)
    elif sid == RASTRIGIN:
        return _f_rastrigin(x, y)
    elif sid == ACKLEY:
        return _f_ackley(x, y)
    elif sid == BOOTH:
        return _f_booth(x, y)
    elif sid == GOLDSTEIN_PRICE:
        return _f_goldstein_price(x, y)
    elif sid == SIX_HUMP_CAMEL:
        return _f_six_hump_camel(x, y)
    elif sid == STYBLINSKI_TANG:
        return _f_styblinski_tang(x, y)
    elif sid == TWO_WELL:
        return _f_two_well(x, y)
    elif sid == MATYAS:
        return _f_matyas(x, y)
    elif sid == THREE_HUMP_CAMEL:
        return _f_three_hump_camel(x, y)
    elif sid == MCCORMICK:
        return _f_mccormick(x, y)
    nan = math.nan
    return nan, nan, nan


@njit(cache=True, nogil=True, error_model="numpy")
def evaluate_surface(sid, theta, loss, grad, gnorm):
    """f, ∇f and |∇f| at every row of ``theta`` (k × 2)."""
    for r in range(theta.shape[0]):
        f, gx, gy = surface_fg(sid, theta[r, 0], theta[r, 1])
        loss[r] = f
        grad[r, 0] = gx
        grad[r, 1] = gy
        gnorm[r] = math.sqrt(gx * gx + gy * gy)


# The points and the grid are Python over evaluate_surface: one compiled copy of the
# surfaces serves a race's start, the map's field and its points (each further copy was
# another compile at a first launch).
def surface_fg_points(sid, xs, ys):
    """Value and gradient at the points ``(xs[k], ys[k])`` of two equal-length 1-D arrays."""
    theta = np.column_stack((np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)))
    n = theta.shape[0]
    f, grad, gnorm = np.empty(n), np.empty((n, 2)), np.empty(n)
    evaluate_surface(sid, theta, f, grad, gnorm)
    return f, grad[:, 0], grad[:, 1]


def surface_grid(sid, xs, ys):
    """Values on a grid: ``Z[j, i] = f(xs[i], ys[j])``, shape ``(len(ys), len(xs))``."""
    x, y = np.meshgrid(np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64))
    return surface_fg_points(sid, x.ravel(), y.ravel())[0].reshape(x.shape)


# ----------------------------------------------------------------------------- Hessians
# Every surface's exact second derivatives ``_h_<key>(x, y) -> (hxx, hxy, hyy)``, beside its
# f and ∇f, dispatched by :func:`surface_hessian` on the same ids (engine.hessian, Newton).


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_rosenbrock(x, y):
    return 2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x, 200.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_beale(x, y):
    y2 = y * y
    y3 = y2 * y
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y2
    t3 = 2.625 - x + x * y3
    a1, a2, a3 = y - 1.0, y2 - 1.0, y3 - 1.0  # ∂tᵢ/∂x
    b1, b2, b3 = x, 2.0 * x * y, 3.0 * x * y2  # ∂tᵢ/∂y
    hxx = 2.0 * (a1 * a1 + a2 * a2 + a3 * a3)
    hxy = 2.0 * (a1 * b1 + t1 + a2 * b2 + t2 * 2.0 * y + a3 * b3 + t3 * 3.0 * y2)
    hyy = 2.0 * (b1 * b1 + b2 * b2 + t2 * 2.0 * x + b3 * b3 + t3 * 6.0 * x * y)
    return hxx, hxy, hyy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_himmelblau(x, y):
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return 4.0 * a + 8.0 * x * x + 2.0, 4.0 * (x + y), 2.0 + 4.0 * b + 8.0 * y * y


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_ellipse(x, y):
    return 0.5, 0.0, 16.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_bowl(x, y):
    return 1.0, 0.0, 1.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_saddle(x, y):
    return 2.0, 0.0, 6.0 * y * y - 2.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_valley(x, y):
    return 8.1, -7.9, 8.1


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_plateau(x, y):
    e = math.exp(-0.5 * (x * x + y * y))
    return e * (1.0 - x * x), -x * y * e, e * (1.0 - y * y)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_rastrigin(x, y):
    k = 10.0 * _TWO_PI * _TWO_PI
    return 2.0 + k * math.cos(_TWO_PI * x), 0.0, 2.0 + k * math.cos(_TWO_PI * y)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_ackley(x, y):
    """The cone's tip (0, 0) has no Hessian (it is unbounded there): NaN."""
    r = math.sqrt(0.5 * (x * x + y * y))
    if r == 0.0:
        nan = math.nan
        return nan, nan, nan
    e1 = math.exp(-0.2 * r)
    c = 2.0 * e1 / r  # the cone's gradient is c·(x, y)
    k = -e1 * (0.2 * r + 1.0) / (r * r * r)  # (dc/dr)/(2r)
    sx, sy = math.sin(_TWO_PI * x), math.sin(_TWO_PI * y)
    e2 = math.exp(0.5 * (math.cos(_TWO_PI * x) + math.cos(_TWO_PI * y)))
    p2 = math.pi * math.pi * e2
    hxx = c + k * x * x + p2 * (2.0 * math.cos(_TWO_PI * x) - sx * sx)
    hyy = c + k * y * y + p2 * (2.0 * math.cos(_TWO_PI * y) - sy * sy)
    return hxx, k * x * y - p2 * sx * sy, hyy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_booth(x, y):
    return 10.0, 8.0, 10.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_goldstein_price(x, y):
    a = x + y + 1.0
    b = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    bs = -14.0 + 6.0 * x + 6.0 * y  # ∂b/∂x = ∂b/∂y
    p = 1.0 + a * a * b
    dp = 2.0 * a * b + a * a * bs  # p is a function of x + y: every first partial is dp …
    ddp = 2.0 * b + 4.0 * a * bs + 6.0 * a * a  # … every second one ddp
    c = 2.0 * x - 3.0 * y
    d = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    dx = -32.0 + 24.0 * x - 36.0 * y
    dy = 48.0 - 36.0 * x + 54.0 * y
    q = 30.0 + c * c * d
    qx = 4.0 * c * d + c * c * dx
    qy = -6.0 * c * d + c * c * dy
    qxx = 8.0 * d + 8.0 * c * dx + 24.0 * c * c
    qxy = -12.0 * d + 4.0 * c * dy - 6.0 * c * dx - 36.0 * c * c
    qyy = 18.0 * d - 12.0 * c * dy + 54.0 * c * c
    hxx = ddp * q + 2.0 * dp * qx + p * qxx
    hxy = ddp * q + dp * qy + dp * qx + p * qxy
    hyy = ddp * q + 2.0 * dp * qy + p * qyy
    return hxx, hxy, hyy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_six_hump_camel(x, y):
    x2 = x * x
    return 8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, -8.0 + 48.0 * y * y


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_styblinski_tang(x, y):
    return 6.0 * x * x - 16.0, 0.0, 6.0 * y * y - 16.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_two_well(x, y):
    return 12.0 * x * x - 4.0, 0.0, 2.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_matyas(x, y):
    return 0.52, -0.48, 0.52


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_three_hump_camel(x, y):
    x2 = x * x
    return 4.0 - 12.6 * x2 + 5.0 * x2 * x2, 1.0, 2.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _h_mccormick(x, y):
    s = math.sin(x + y)
    return 2.0 - s, -2.0 - s, 2.0 - s


@njit(cache=True, nogil=True, error_model="numpy")
def surface_hessian(sid, x, y):
    """The exact Hessian ``(hxx, hxy, hyy)`` of surface ``sid`` at (x, y); NaN for an unknown id."""
    if sid == ROSENBROCK:
        return _h_rosenbrock(x, y)
    elif sid == BEALE:
        return _h_beale(x, y)
    elif sid == HIMMELBLAU:
        return _h_himmelblau(x, y)
    elif sid == ELLIPSE:
        return _h_ellipse(x, y)
    elif sid == BOWL:
        return _h_bowl(x, y)
    elif sid == SADDLE:
        return _h_saddle(x, y)
    elif sid == VALLEY:
        return _h_valley(x, y)
    elif sid == PLATEAU:
        return _h_plateau(x, y)
    elif sid == RASTRIGIN:
        return _h_rastrigin(x, y)
    elif sid == ACKLEY:
        return _h_ackley(x, y)
    elif sid == BOOTH:
        return _h_booth(x, y)
    elif sid == GOLDSTEIN_PRICE:
        return _h_goldstein_price(x, y)
    elif sid == SIX_HUMP_CAMEL:
        return _h_six_hump_camel(x, y)
    elif sid == STYBLINSKI_TANG:
        return _h_styblinski_tang(x, y)
    elif sid == TWO_WELL:
        return _h_two_well(x, y)
    elif sid == MATYAS:
        return _h_matyas(x, y)
    elif sid == THREE_HUMP_CAMEL:
        return _h_three_hump_camel(x, y)
    elif sid == MCCORMICK:
        return _h_mccormick(x, y)
    nan = math.nan
    return nan, nan, nan


@njit(cache=True, nogil=True, error_model="numpy")
def surface_hessians(sid, theta, out):
    """The Hessian at every row of ``theta`` (k × 2) into ``out`` (k × 2 × 2)."""
    for r in range(theta.shape[0]):
        hxx, hxy, hyy = surface_hessian(sid, theta[r, 0], theta[r, 1])
        out[r, 0, 0] = hxx
        out[r, 0, 1] = hxy
        out[r, 1, 0] = hxy
        out[r, 1, 1] = hyy
