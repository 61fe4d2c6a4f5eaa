"""A run's optimizer and lr scheduler as lines of torch code, with the run's settings.

Optimizers with a torch.optim twin (their ``SPEC.torch_name``) become that class with every
hyperparameter spelled out (``beta1, beta2`` as ``betas``, flags as bools) and
``foreach=False``: torch's single-tensor code path, the one the engine matches bit for bit.
The others become classes the script defines (:mod:`.script_parts`): GD's twin is SGD, the
note's Momentum, Lion, and Adam/AdamW with ``bias_correction`` off.
"""

from __future__ import annotations

import ast

from ...optimizers import get_optimizer
from ...optimizers.adafactor import FLOAT64_EPS
from ...race.schedules import INT_PARAMS, Schedule
from . import script_parts

# engine key -> (the script's class, the script part defining it) for what torch.optim lacks
OWN_CLASSES = {
    "momentum": ("Momentum", script_parts.MOMENTUM),
    "lion": ("Lion", script_parts.LION),
    "muon": ("MuonWithAdamW", script_parts.MUON),
}
UNCORRECTED_ADAM = ("AdamWithoutBiasCorrection", script_parts.ADAM_UNCORRECTED)


def number(value) -> str:
    """A literal that reads back as exactly ``value`` (ints stay ints, None stays None)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def _torch_twin(key: str) -> tuple[str, dict]:
    """torch.optim's class name and the fixed arguments its ``torch_name`` states."""
    name, _, args = get_optimizer(key).torch_name.partition("(")
    fixed = {k.strip(): ast.literal_eval(v.strip()) for k, v in
             (arg.split("=") for arg in args.rstrip(")").split(",") if arg.strip())}
    return name, fixed


# torch's tuple arguments, flattened in the engine's specs: (first, second) -> torch's name
TORCH_PAIRS = {("beta1", "beta2"): "betas", ("eta_minus", "eta_plus"): "etas",
               ("step_size_min", "step_size_max"): "step_sizes", ("eps1", "eps2"): "eps"}
_SECOND_HALVES = {second for _, second in TORCH_PAIRS}
_FIRST_HALVES = {first: (second, name) for (first, second), name in TORCH_PAIRS.items()}


def _arguments(key: str, hyper: dict) -> dict:
    """The run's hyperparameters under torch's names: flags as bools, pairs (betas, etas,
    step_sizes, Adafactor's eps) as tuples in the first half's place. Adafactor's eps1 at
    float64's machine epsilon is torch's default, written as None."""
    spec = get_optimizer(key)
    kinds = {h.name: h.kind for h in spec.hyper}
    out: dict = {}
    for name, value in hyper.items():
        if name == "bias_correction" or name in _SECOND_HALVES:
            continue
        if name in _FIRST_HALVES:  # torch's pair, in its first half's place
            second, pair = _FIRST_HALVES[name]
            first = float(value)
            if key == "adafactor" and name == "eps1" and first == FLOAT64_EPS:
                first = None  # torch: finfo(param.dtype).eps, this number for float64
            out[pair] = (first, float(hyper[second]))
        elif key == "lbfgs" and name == "strong_wolfe":  # torch's line_search_fn
            out["line_search_fn"] = "'strong_wolfe'" if value else None
        elif key == "lbfgs" and name == "max_eval":  # 0 is torch's None (max_iter * 5 // 4)
            out[name] = int(value) if value else None
        elif key == "muon" and name in ("ns_a", "ns_b", "ns_c"):  # torch's ns_coefficients
            if name == "ns_a":
                out["ns_coefficients"] = tuple(float(hyper[k]) for k in ("ns_a", "ns_b", "ns_c"))
        elif kinds.get(name) == "int":
            out[name] = int(value)
        else:
            out[name] = bool(value) if kinds.get(name) == "bool" else float(value)
    return out


def _call(cls: str, args: dict, params: str) -> str:
    def show(v):
        if isinstance(v, str):  # an expression of the script (Newton's hessian_at, a quoted name)
            return v
        return "(" + ", ".join(number(x) for x in v) + ")" if isinstance(v, tuple) else number(v)

    parts = [params] + [f"{k}={show(v)}" for k, v in args.items()]
    return f"{cls}({', '.join(parts)})"


def optimizer_line(key: str, hyper: dict, params: str = "params",
                   hessian: str | None = None) -> tuple[str, str | None]:
    """``(expression, script part)``: the optimizer for a run of ``key`` with ``hyper``
    (the run's full, validated hyperparameters), and the class source it needs (or None).
    Newton's methods take ``hessian``, the script's expression of the problem's Hessian
    (``hessian_at(theta)``); without it they are refused."""
    args = _arguments(key, hyper)
    if get_optimizer(key).needs_hessian:
        if hessian is None:
            raise ValueError(f"{get_optimizer(key).name} needs the problem's Hessian in the script")
        return _call("Newton", {"hessian_at": hessian, "lr": args["lr"],
                                "damping": args.get("damping", 0.0)}, params), script_parts.NEWTON
    if key in OWN_CLASSES:
        cls, part = OWN_CLASSES[key]
        return _call(cls, args, params), part
    if key in ("adam", "adamw") and not hyper.get("bias_correction", 1.0):
        cls, part = UNCORRECTED_ADAM
        return _call(cls, {**args, "decoupled": key == "adamw"}, params), part
    if get_optimizer(key).torch_name is None:
        raise ValueError(f"optimizer {key!r} has no torch form in the export")
    name, fixed = _torch_twin(key)
    rest = {k: v for k, v in fixed.items() if k not in args}  # the run's own values win
    if name == "LBFGS":  # one code path, no foreach argument
        return _call(f"torch.optim.{name}", {**args, **rest}, params), None
    return _call(f"torch.optim.{name}", {**args, **rest, "foreach": False}, params), None


def scheduler_line(schedule: Schedule, optimizer: str = "optimizer") -> str:
    """The ``torch.optim.lr_scheduler`` for ``schedule`` ("None" for a constant lr)."""
    p = {k: (int(v) if k in INT_PARAMS else float(v)) for k, v in schedule.params.items()}
    s = "torch.optim.lr_scheduler."
    if schedule.name == "constant":
        return "None"
    if schedule.name == "step":
        return f"{s}StepLR({optimizer}, step_size={number(p['step_size'])}, gamma={number(p['gamma'])})"
    if schedule.name == "exponential":
        return f"{s}ExponentialLR({optimizer}, gamma={number(p['gamma'])})"
    if schedule.name == "cosine":
        return (f"{s}CosineAnnealingLR({optimizer}, T_max={number(p['T_max'])}, "
                f"eta_min={number(p['eta_min'])})")
    if schedule.name == "linear":
        return (f"{s}LinearLR({optimizer}, start_factor={number(p['start_factor'])}, "
                f"end_factor={number(p['end_factor'])}, total_iters={number(p['total_iters'])})")
    if schedule.name == "warmup_cosine":
        w = number(p["warmup_steps"])
        return (f"{s}SequentialLR({optimizer}, [\n"
                f"        {s}LinearLR({optimizer}, start_factor={number(p['start_factor'])}, "
                f"end_factor=1.0, total_iters={w}),\n"
                f"        {s}CosineAnnealingLR({optimizer}, T_max={number(p['T_max'])}, "
                f"eta_min={number(p['eta_min'])}),\n"
                f"    ], milestones=[{w}])")
    raise ValueError(f"schedule {schedule.name!r} has no torch form in the export")
