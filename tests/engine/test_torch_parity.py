"""The engine's update rules against torch.optim, bit for bit, in float64.

torch is not a dependency of Descent Lab: without it this module is skipped. Each step, torch's
parameter gets as its gradient the engine's own surface gradient ``surface_fg`` evaluated at
torch's current parameter values, so both sides see identical gradients and only the update rule
is compared. torch runs its single-tensor code path (``foreach=False``) with float64 as its
default dtype, so that its scalar optimizer state (the step count, NAdam's mu product) is float64
like the engine's; with torch's float32 default, NAdam's ``mu_product`` is kept in float32.

What torch's CPU kernels actually compute in float64 (measured on torch 2.13, not documented):
``a.add(b, alpha=s)``, ``a.sub_(b, alpha=s)`` -> fma(+-s, b, a), one rounding;
``a.addcmul(b, c, value=v)`` -> fma(v * b, c, a); ``a.lerp(b, w)`` -> fma(w, b - a, a) for
w < 0.5, else fma(-(b - a), 1 - w, b); ``a.addcdiv(b, c, value=v)`` -> a + (v * b) / c, no fma;
``Tensor.sqrt`` goes through MKL VML (vdSqrt), which is within 1 ulp but not correctly rounded
(about 1 input in 100 differs from ``math.sqrt``). Python-float ``x ** 0.5`` is libm ``pow``.

That sqrt is also why no engine can equal stock torch bit for bit (RMSprop with centered=True
and momentum > 0 shows it first, after ~80 steps on Rosenbrock): its result depends on the
code path MKL picks for the CPU. Of 100,000 uniform inputs in (0, 10], 894 differ from the
correctly rounded root with MKL's AVX-512 path and 1,300 with ``MKL_ENABLE_INSTRUCTIONS=AVX2``,
and the two torch results differ from each other on 1,844 (torch 2.13, this machine; ATen's
own ``ATEN_CPU_CAPABILITY`` changes nothing). The engine keeps IEEE 754's correctly rounded
sqrt; with torch given the same, every case below matches bit for bit.
"""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
from reference_optimizers import REFERENCES

torch = pytest.importorskip("torch")

from descentlab import engine  # noqa: E402
from descentlab.engine.surface.functions import surface_fg  # noqa: E402

STEPS = 300
# torch's tuple arguments and the engine's flattened names for them
TORCH_PAIRS = {"betas": ("beta1", "beta2"), "etas": ("eta_minus", "eta_plus"),
               "step_sizes": ("step_size_min", "step_size_max"), "eps": ("eps1", "eps2")}
STARTS = {"rosenbrock": (-1.2, 1.0), "beale": (1.0, 1.0), "himmelblau": (-1.0, -1.0)}


def _cases():
    """(engine optimizer key, hyperparameters, surfaces): the cases of every optimizer in the
    engine's registry that names a torch.optim twin (``torch_name``), from its reference.
    Every torch flag is on somewhere."""
    for key, spec in engine.OPTIMIZERS.items():
        if spec.torch_name is None:
            continue
        if key not in REFERENCES:
            yield key, None, ()  # its tests fail: no reference
            continue
        for case in REFERENCES[key].cases:
            if "bias_correction" not in case.hyper:  # Descent Lab's flag, not torch's
                yield key, case.hyper, case.surfaces


CASES = list(_cases())


def torch_optimizer(optimizer, params, hyper):
    """The torch.optim optimizer that ``optimizer`` (an engine key) promises to equal: its
    spec's ``torch_name``, a torch.optim class with the arguments it names (e.g.
    ``SGD(nesterov=True, momentum=0.9)``), given ``hyper``; torch's defaults for the rest."""
    assert hyper is not None, f"{optimizer} has no reference in reference_optimizers.py"
    name, _, args = engine.get_optimizer(optimizer).torch_name.partition("(")
    kw = {k.strip(): ast.literal_eval(v) for k, v in
          (arg.split("=") for arg in args.rstrip(")").split(",") if arg)}
    kw.update(hyper)
    cls = getattr(torch.optim, name)
    defaults = inspect.signature(cls).parameters
    for pair, (first, second) in TORCH_PAIRS.items():
        if first in kw or second in kw:  # torch's tuple, its own default for a missing half
            torch_default = defaults[pair].default
            kw[pair] = (kw.pop(first, torch_default[0]), kw.pop(second, torch_default[1]))
    if name == "Muon":  # ns_coefficients flattened as ns_a, ns_b, ns_c; ns_steps an int
        default = defaults["ns_coefficients"].default
        kw["ns_coefficients"] = tuple(kw.pop(f"ns_{k}", d) for k, d in zip("abc", default,
                                                                           strict=True))
        kw["ns_steps"] = int(kw.get("ns_steps", defaults["ns_steps"].default))
        return cls(params, **kw)  # no foreach path
    if name == "LBFGS":  # line_search_fn as the flag strong_wolfe, max_eval None as 0; no foreach
        kw["line_search_fn"] = "strong_wolfe" if kw.pop("strong_wolfe", False) else None
        kw["max_eval"] = int(kw["max_eval"]) if kw.get("max_eval") else None
        for key in ("max_iter", "history_size"):
            if key in kw:
                kw[key] = int(kw[key])
        return cls(params, **kw)
    return cls(params, foreach=False, **kw)


def torch_path(surface, optimizer, start, steps, hyper):
    sid = engine.SURFACES[surface].id
    shape = (1, 2) if optimizer == "muon" else (2,)  # Muon takes matrices: a 1 × 2 point
    p = torch.tensor(start, dtype=torch.float64).reshape(shape).requires_grad_()
    opt = torch_optimizer(optimizer, [p], hyper)
    path = np.empty((steps + 1, 2))
    path[0] = p.detach().numpy().ravel()
    def closure():  # L-BFGS's step(closure): the engine's f and gradient, as below
        x, y = p.detach().ravel().tolist()
        f, gx, gy = surface_fg(sid, x, y)
        p.grad = torch.tensor([gx, gy], dtype=torch.float64).reshape(shape)
        return torch.tensor(f, dtype=torch.float64)

    for t in range(1, steps + 1):
        if optimizer == "lbfgs":
            opt.step(closure)
        else:
            x, y = p.detach().ravel().tolist()
            _, gx, gy = surface_fg(sid, x, y)
            p.grad = torch.tensor([gx, gy], dtype=torch.float64).reshape(shape)
            opt.step()
        path[t] = p.detach().numpy().ravel()
    return path


def describe_mismatch(ours, theirs):
    """Where and by how much two paths first differ (for the failure message)."""
    differs = ~((ours == theirs) | (np.isnan(ours) & np.isnan(theirs)))
    rows = np.flatnonzero(differs.any(axis=1))
    if rows.size == 0:
        return "identical"
    t = int(rows[0])
    diff = np.abs(ours[t] - theirs[t])
    ulps = diff / np.spacing(np.abs(theirs[t]))
    last = np.nanmax(np.abs(ours - theirs))
    return (
        f"first mismatch at step {t}: engine {ours[t].tolist()!r} "
        f"vs torch {theirs[t].tolist()!r}, "
        f"|diff| {diff.tolist()} = {ulps.tolist()} ulp; "
        f"{rows.size} of {len(ours) - 1} steps differ; "
        f"largest |diff| over the path {last:.3g}"
    )


@pytest.fixture
def correctly_rounded_sqrt(monkeypatch):
    """Give torch a correctly rounded float64 sqrt, as IEEE 754 (and the engine) has it.

    Stock torch on this build routes ``Tensor.sqrt`` through MKL's vdSqrt, which is 1 ulp
    off for about 1 % of inputs; no portable code can reproduce that. With this one
    operation made exact, every other operation of torch.optim must match bit for bit.
    """
    def sqrt(self):  # (np.asarray: a 0-d tensor's root, L-BFGS's line search, is a numpy scalar)
        return torch.from_numpy(np.asarray(np.sqrt(self.detach().numpy())))

    def sqrt_(self):
        with torch.no_grad():
            return self.copy_(sqrt(self))

    monkeypatch.setattr(torch.Tensor, "sqrt", sqrt)
    monkeypatch.setattr(torch.Tensor, "sqrt_", sqrt_)


@pytest.fixture(autouse=True)
def float64_default_dtype():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def _params():
    for optimizer, hyper, surfaces in CASES:
        label = ",".join(f"{k}={v}" for k, v in (hyper or {}).items())
        for surface, start in STARTS.items():
            if surface in surfaces or hyper is None:
                yield pytest.param(
                    optimizer, hyper, surface, start, id=f"{optimizer}[{label}]-{surface}"
                )


@pytest.mark.parametrize("optimizer, hyper, surface, start", list(_params()))
def test_close_to_stock_torch(optimizer, hyper, surface, start):
    """Unpatched torch: equal up to MKL's sqrt rounding (a few ulp after 300 steps)."""
    expected = torch_path(surface, optimizer, start, STEPS, hyper)
    path = engine.trajectory(surface, optimizer, start, STEPS, **hyper)
    np.testing.assert_allclose(path, expected, rtol=1e-13, atol=1e-15)


@pytest.mark.usefixtures("correctly_rounded_sqrt")
@pytest.mark.parametrize("optimizer, hyper, surface, start", list(_params()))
def test_bit_exact_with_torch(optimizer, hyper, surface, start):
    expected = torch_path(surface, optimizer, start, STEPS, hyper)
    assert np.isfinite(expected).all(), "test case must not diverge"
    path = engine.trajectory(surface, optimizer, start, STEPS, **hyper)
    assert path.shape == expected.shape
    same = bool(np.array_equal(path, expected))
    assert same, describe_mismatch(path, expected)


@pytest.mark.usefixtures("correctly_rounded_sqrt")
# GD, SGD and NAG take the lecture's lr = 0.01, not torch's 1e-3
@pytest.mark.parametrize("optimizer", sorted({key for key, _, _ in CASES} - {"gd", "sgd", "nag"}))
def test_bit_exact_with_torch_defaults(optimizer):
    """No hyperparameters at all: the engine's defaults are torch's."""
    start = STARTS["himmelblau"]
    expected = torch_path("himmelblau", optimizer, start, STEPS, {})
    path = engine.trajectory("himmelblau", optimizer, start, STEPS)
    same = bool(np.array_equal(path, expected))
    assert same, describe_mismatch(path, expected)


# ------------------------------------------------------------------- per tensor (datasets)
def _dataset_problems():
    from descentlab.engine.data.models import Model
    from descentlab.engine.data.problem import DatasetProblem

    return {"moons-mlp": DatasetProblem("moons", Model("mlp", hidden=(8, 8)), "log"),
            "line-linear": DatasetProblem("line", Model("linear"), "l2"),
            "blobs3-softmax": DatasetProblem("blobs3", Model("softmax"), "log")}


@pytest.mark.parametrize("hyper", [{}, {"lr": 0.05, "beta2_decay": -0.5, "eps1": 1e-3,
                                        "eps2": 1e-2, "d": 2.0, "weight_decay": 0.1}],
                         ids=["defaults", "all-set"])
@pytest.mark.parametrize("name", ["moons-mlp", "line-linear", "blobs3-softmax"])
def test_adafactor_works_per_tensor_on_datasets(name, hyper):
    """torch's Adafactor on the model's own tensors (matrices factored into row_var and
    col_var, each tensor's own RMS), fed the engine's full-batch gradient, against the
    engine's flat θ: the same to 1e-12 of each tensor's size (bit for bit on the line fit:
    torch's multi-lane norms round otherwise beyond three entries), state included."""
    problem = _dataset_problems()[name]
    race = engine.Race(problem, history=40)
    uid = race.add_run("adafactor", **hyper)
    theta = race.runs.theta[0].copy()
    sizes = [int(np.prod(s)) for s in problem.tensor_shapes]
    offsets = np.cumsum([0, *sizes])
    params = [torch.tensor(theta[a:b].reshape(shape), requires_grad=True)
              for a, b, shape in zip(offsets[:-1], offsets[1:], problem.tensor_shapes, strict=True)]
    opt = torch_optimizer("adafactor", params, hyper)
    for _ in range(30):
        g = problem.grad(torch.cat([p.detach().reshape(-1) for p in params]).numpy())
        for p, a, b in zip(params, offsets[:-1], offsets[1:], strict=True):
            p.grad = torch.tensor(g[a:b].reshape(p.shape))
        opt.step()
        race.advance(1)
        ours = race.runs.theta[0]
        for p, a, b in zip(params, offsets[:-1], offsets[1:], strict=True):
            theirs = p.detach().numpy().ravel()
            scale = np.abs(theirs).max()
            np.testing.assert_allclose(ours[a:b], theirs, rtol=0, atol=1e-12 * scale)
            if name == "line-linear":
                assert np.array_equal(ours[a:b], theirs)
    got = race.explain(uid)
    want = {"variance": [], "row_var": [], "col_var": []}
    for p in params:
        for key, value in opt.state[p].items():
            if key != "step":
                want[key].append(value.numpy().ravel())
    for key, parts in want.items():
        if parts:
            np.testing.assert_allclose(got[key], np.concatenate(parts), rtol=1e-11, err_msg=key)
        else:
            assert key not in got


# ------------------------------------------------------ Muon on datasets: weights and biases
MUON_PROBLEMS = {  # (model, loss, largest relative difference from torch over 300 steps)
    "moons-mlp8": ("moons", {"hidden": (8, 8)}, "log", 1e-15),
    "moons-mlp16": ("moons", {}, "log", 1e-15),  # the default MLP 2-16-16-1
    "line-linear": ("line", {}, "l2", 0.0),
    "blobs3-softmax": ("blobs3", {}, "log", 1e-15),
}


@pytest.mark.parametrize("hyper", [{}, {"lr": 0.02, "nesterov": False, "weight_decay": 0.0,
                                        "momentum": 0.9}], ids=["defaults", "set"])
@pytest.mark.parametrize("name", list(MUON_PROBLEMS))
def test_muon_on_datasets_is_torchs_muon_plus_adamw(name, hyper):
    """torch.optim.Muon on the model's weight matrices and torch.optim.AdamW (lr = Muon's,
    torch's defaults otherwise) on its biases, fed the engine's full-batch gradient, against
    the engine's flat θ over 300 steps: Newton–Schulz's bfloat16 arithmetic reproduced, the
    weights equal torch's bit for bit; what differs (≤ 1e-15 of θ's size) is MKL's float64
    sqrt in AdamW's denominator. Then explain() against torch's optimizer.state."""
    from descentlab.engine.data.models import Model
    from descentlab.engine.data.problem import DatasetProblem

    data, model, loss, bound = MUON_PROBLEMS[name]
    kind = {"line": "linear", "blobs3": "softmax"}.get(data, "mlp")
    problem = DatasetProblem(data, Model(kind, **model), loss)
    race = engine.Race(problem, history=40)
    uid = race.add_run("muon", **hyper)
    theta = race.runs.theta[0].copy()
    sizes = [int(np.prod(s)) for s in problem.tensor_shapes]
    offsets = np.cumsum([0, *sizes])
    params = [torch.tensor(theta[a:b].reshape(shape), requires_grad=True)
              for a, b, shape in zip(offsets[:-1], offsets[1:], problem.tensor_shapes, strict=True)]
    weights = [p for p in params if p.ndim == 2]
    biases = [p for p in params if p.ndim == 1]
    muon = torch_optimizer("muon", weights, hyper)
    adamw = torch.optim.AdamW(biases, lr=hyper.get("lr", 1e-3), foreach=False)
    worst = 0.0
    for _ in range(300):
        g = problem.grad(torch.cat([p.detach().reshape(-1) for p in params]).numpy())
        for p, a, b in zip(params, offsets[:-1], offsets[1:], strict=True):
            p.grad = torch.tensor(g[a:b].reshape(p.shape))
        muon.step()
        adamw.step()
        race.advance(1)
        theirs = torch.cat([p.detach().reshape(-1) for p in params]).numpy()
        worst = max(worst, float(np.abs(race.runs.theta[0] - theirs).max() / np.abs(theirs).max()))
    assert worst <= bound
    ours = race.runs.theta[0]
    for p, a, b in zip(params, offsets[:-1], offsets[1:], strict=True):
        if p.ndim == 2 and worst == 0.0:
            assert np.array_equal(ours[a:b], p.detach().numpy().ravel())
    got = race.explain(uid)
    want = {"momentum_buffer": [muon.state[p]["momentum_buffer"] for p in weights],
            "exp_avg": [adamw.state[p]["exp_avg"] for p in biases],
            "exp_avg_sq": [adamw.state[p]["exp_avg_sq"] for p in biases]}
    for key, parts in want.items():
        if parts:
            np.testing.assert_allclose(got[key], np.concatenate([v.numpy().ravel() for v in parts]),
                                       rtol=1e-12, atol=1e-300, err_msg=key)
        else:
            assert key not in got


def test_muon_refuses_what_torch_refuses():
    spec = engine.get_optimizer("muon")
    for name, value in (("ns_steps", 100), ("ns_steps", 2.5), ("momentum", -0.1),
                        ("weight_decay", -1.0), ("lr", -1e-3), ("eps", 0.0)):
        with pytest.raises(ValueError, match=name):
            spec.validate({name: value})
    p = torch.zeros(1, 2, requires_grad=True)
    p.grad = torch.ones(1, 2)
    with pytest.raises(ValueError, match="less than 100"):  # torch refuses it at its step
        torch.optim.Muon([p], ns_steps=100).step()


def test_ns_steps_is_a_whole_number_everywhere():
    """ns_steps is an integer hyperparameter: validation, the hyper map's axis and the
    exported script (torch's range() takes ints only) all keep it whole."""
    from descentlab.engine.files.torch_export.optimizer_lines import optimizer_line
    from descentlab.engine.maps.races import axis_grid

    spec = engine.get_optimizer("muon")
    assert spec.hyper_spec("ns_steps").kind == "int"
    with pytest.raises(ValueError, match=r"ns_steps=2.5 \(allowed: an integer in \[0, 99\]\)"):
        spec.validate({"ns_steps": 2.5})
    grid = axis_grid("muon", "ns_steps", 32)
    np.testing.assert_array_equal(grid, np.arange(11.0))
    line, _ = optimizer_line("muon", spec.validate({"ns_steps": 3}))
    assert "ns_steps=3)" in line


@pytest.mark.parametrize("shape", [(1, 2), (1, 1), (2, 1), (16, 2), (2, 16), (1, 16), (16, 1),
                                   (8, 8), (16, 16), (5, 7), (7, 5), (2, 300), (300, 2)])
def test_newton_schulz_is_torchs_to_the_bit(shape):
    """The compiled Newton–Schulz and its NumPy twin (the walk's) against torch's own
    ``_zeropower_via_newtonschulz`` in bfloat16, on random matrices of sizes from 1e-6 to
    1e4, torch's coefficients and others (which overflow: NaN where torch has NaN). (Random
    matrices rarely land on a rounding tie that tells the summation orders apart; the
    training runs above do: before ATen's gemm_transa_ dot was reproduced, the MLP's run
    with momentum 0.9 left torch's path at step 171.)"""
    from torch.optim._muon import _zeropower_via_newtonschulz

    from descentlab.engine.optimizers._bf16 import newton_schulz, newton_schulz_np

    rng = np.random.default_rng(sum(shape))
    for trial in range(6):
        g = rng.normal(size=shape) * 10.0 ** rng.uniform(-6, 4)
        coef = (3.4445, -4.775, 2.0315) if trial % 3 else tuple(rng.normal(size=3) * 3)
        steps = 5 if trial % 2 else int(rng.integers(0, 9))
        want = _zeropower_via_newtonschulz(torch.tensor(g), coef, steps, 1e-7).double().numpy()
        u, out = g.ravel().copy(), np.zeros(g.size)
        newton_schulz(u, out, 0, shape[0], shape[1], *coef, steps, 1e-7)
        assert np.array_equal(out.reshape(shape), want, equal_nan=True), trial
        assert np.array_equal(newton_schulz_np(g, 1e-7, *coef, steps), want, equal_nan=True)
