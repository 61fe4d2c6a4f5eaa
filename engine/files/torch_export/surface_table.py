"""Every catalogue surface as torch operations: the body of ``value_and_gradient(x, y)``.

Each entry is the surface's kernel in :mod:`engine.surface.functions`, written again with the
same operations in the same order (so the same roundings) on 0-d float64 tensors ``x`` and
``y``. ``sin``, ``cos``, ``exp`` and ``sqrt`` are the exported script's elementary functions
(:mod:`engine.files.torch_export.script_parts`), ``TWO_PI`` is ``2.0 * math.pi``. A test
runs every entry against the engine's kernel, bit for bit.
"""

from __future__ import annotations

from ...surface.catalogue import SURFACES

SURFACE_BODIES: dict[str, str] = {
    "rosenbrock": """
a = 1.0 - x
b = y - x * x
return a * a + 100.0 * b * b, -2.0 * a - 400.0 * x * b, 200.0 * b
""",
    "beale": """
y2 = y * y
y3 = y2 * y
t1 = 1.5 - x + x * y
t2 = 2.25 - x + x * y2
t3 = 2.625 - x + x * y3
f = t1 * t1 + t2 * t2 + t3 * t3
gx = 2.0 * (t1 * (y - 1.0) + t2 * (y2 - 1.0) + t3 * (y3 - 1.0))
gy = 2.0 * x * (t1 + 2.0 * y * t2 + 3.0 * y2 * t3)
return f, gx, gy
""",
    "himmelblau": """
a = x * x + y - 11.0
b = x + y * y - 7.0
return a * a + b * b, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b
""",
    "ellipse": """
return 0.25 * x * x + 8.0 * y * y, 0.5 * x, 16.0 * y
""",
    "bowl": """
return 0.5 * (x * x + y * y), x.clone(), y.clone()
""",
    "saddle": """
y2 = y * y
return x * x - y2 + 0.5 * y2 * y2, 2.0 * x, 2.0 * y * (y2 - 1.0)
""",
    "valley": """
d = x - y
s = x + y
return 4.0 * d * d + 0.05 * s * s, 8.0 * d + 0.1 * s, -8.0 * d + 0.1 * s
""",
    "plateau": """
e = exp(-0.5 * (x * x + y * y))
return 1.0 - e, x * e, y * e
""",
    "rastrigin": """
f = 20.0 + x * x + y * y - 10.0 * (cos(TWO_PI * x) + cos(TWO_PI * y))
gx = 2.0 * x + 10.0 * TWO_PI * sin(TWO_PI * x)
gy = 2.0 * y + 10.0 * TWO_PI * sin(TWO_PI * y)
return f, gx, gy
""",
    "ackley": """
r = sqrt(0.5 * (x * x + y * y))
e1 = exp(-0.2 * r)
e2 = exp(0.5 * (cos(TWO_PI * x) + cos(TWO_PI * y)))
f = 20.0 * (1.0 - e1) + (math.e - e2)
if r == 0.0:  # the cone's tip has no gradient: 0 there, not NaN
    return f, torch.zeros(()), torch.zeros(())
c = 2.0 * e1 / r
gx = c * x + math.pi * sin(TWO_PI * x) * e2
gy = c * y + math.pi * sin(TWO_PI * y) * e2
return f, gx, gy
""",
    "booth": """
a = x + 2.0 * y - 7.0
b = 2.0 * x + y - 5.0
return a * a + b * b, 2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b
""",
    "goldstein_price": """
a = x + y + 1.0
b = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
p = 1.0 + a * a * b
dp = 2.0 * a * b + a * a * (-14.0 + 6.0 * x + 6.0 * y)  # dp/dx = dp/dy
c = 2.0 * x - 3.0 * y
d = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
q = 30.0 + c * c * d
dqx = 4.0 * c * d + c * c * (-32.0 + 24.0 * x - 36.0 * y)
dqy = -6.0 * c * d + c * c * (48.0 - 36.0 * x + 54.0 * y)
return p * q, dp * q + p * dqx, dp * q + p * dqy
""",
    "six_hump_camel": """
x2 = x * x
y2 = y * y
f = (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2
gx = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y
gy = x - 8.0 * y + 16.0 * y2 * y
return f, gx, gy
""",
    "styblinski_tang": """
x2 = x * x
y2 = y * y
f = 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y)
gx = 2.0 * x2 * x - 16.0 * x + 2.5
gy = 2.0 * y2 * y - 16.0 * y + 2.5
return f, gx, gy
""",
    "two_well": """
w = x * x - 1.0
return w * w + 0.5 * x + y * y, 4.0 * x * w + 0.5, 2.0 * y
""",
    "matyas": """
f = 0.26 * (x * x + y * y) - 0.48 * x * y
return f, 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x
""",
    "three_hump_camel": """
x2 = x * x
x4 = x2 * x2
f = 2.0 * x2 - 1.05 * x4 + x4 * x2 / 6.0 + x * y + y * y
gx = 4.0 * x - 4.2 * x2 * x + x4 * x + y
gy = x + 2.0 * y
return f, gx, gy
""",
    "mccormick": """
d = x - y
c = cos(x + y)
f = sin(x + y) + d * d - 1.5 * x + 2.5 * y + 1.0
return f, c + 2.0 * d - 1.5, c - 2.0 * d + 2.5
""",
}


def surface_function(key: str) -> str:
    """The source of ``value_and_gradient(x, y)`` for catalogue surface ``key``."""
    if key not in SURFACE_BODIES:
        raise ValueError(f"no torch form for surface {key!r}; known: {', '.join(SURFACE_BODIES)}")
    surface = SURFACES[key]
    body = "\n".join("    " + line if line else line for line in SURFACE_BODIES[key].strip().splitlines())
    constant = "TWO_PI = 2.0 * math.pi\n\n\n" if "TWO_PI" in body else ""
    return (
        constant + "def value_and_gradient(x, y):\n"
        f'    """{surface.name}: {surface.formula}\n\n'
        "    f, df/dx, df/dy as Descent Lab computes them (its hand-derived gradient).\"\"\"\n"
        f"{body}\n"
    )
