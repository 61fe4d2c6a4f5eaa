"""A race as one standalone PyTorch script: its problem, its runs, a loop that steps them.

``torch_script(race)`` returns the script's text. The problem comes first (a catalogue
surface from :mod:`.surface_table`, a typed formula lowered from its tree by
:mod:`.formula_lowering`, a dataset with its model and losses from :mod:`.dataset_source`),
then each run's ``torch.optim`` optimizer and lr scheduler (:mod:`.optimizer_lines`), then
the race loop, the leaderboard and ``--save paths.npz``: one ``(steps + 1, P)`` array per
run keyed by its label, NaN from the step a run diverged on (``engine.trajectory``'s
contract). Every run holds an ``nn.Module`` (a surface's is ``Point``, its (x, y)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._version import __version__
from ...data.problem import DatasetProblem
from ...formula.problem import FormulaSurface
from ...noise import stream_seed
from ...optimizers import get_optimizer
from ...surface.problem import SurfaceProblem
from . import script_parts
from .dataset_source import dataset_source
from .formula_lowering import lower
from .optimizer_lines import number, optimizer_line, scheduler_line
from .surface_table import surface_function

SQRT_OPTIMIZERS = ("adagrad", "rmsprop", "adadelta", "adam", "adamw", "nadam", "radam",
                   "lbfgs")  # L-BFGS: its strong-Wolfe search's cubic takes a square root

DOCSTRING = '''"""{title}

Exported from Descent Lab {version}: {problem}
Runs: {runs}.

    python {name} [--steps N] [--save paths.npz] [--plot]

Every run starts where it started in the app, with its optimizer's settings (torch.optim's
single-tensor code path, foreach=False, in float64), and sees the batches the app gives it.
{exactness}
--save writes one array per run, keyed by its label: shape (steps + 1, {n_params}), row t
the parameters after step t, NaN from the step a run diverged.
"""
'''

MKL_SQRT = """
One difference remains, in torch itself: Tensor.sqrt on the CPU goes through Intel MKL,
whose square root is 1 ulp low on about 1 input in 100 (IEEE 754, Python's math and the
app round correctly). Optimizers that divide by a root (Adagrad, RMSprop, Adadelta, Adam,
AdamW, NAdam, RAdam) can therefore leave the app's path by an ulp, which a long or chaotic
race can grow; GD, SGD, NAG, Momentum, Lion and Adamax match it bit for bit.
"""

SURFACE_EXACTNESS = """
The paths are the app's, bit for bit: the loss's backward() hands the optimizer the app's
own gradient (ExactGradient), and sin, cos, exp, ... come from the C library, as in the app
(EXACT_AS_THE_APP).
""" + MKL_SQRT

DATASET_EXACTNESS = """
The paths equal the app's to about 1e-12 relative after a few hundred steps, not bit for
bit: autograd and torch's matrix products add the same numbers in another order than the
app's compiled loops (and the app's exp and tanh are its own, within 2 ulp).
""" + MKL_SQRT

POINT = '''

class Point(torch.nn.Module):
    """The surface's two parameters (x, y) as a module, so that every run holds a model."""

    def __init__(self, start, shape=None):
        super().__init__()
        theta = torch.tensor(start)  # shape (1, 2) for Muon, which takes matrices only
        self.theta = torch.nn.Parameter(theta if shape is None else theta.reshape(shape))


def surface_loss(point):
    """The loss of each step (a function without arguments)."""
    return lambda: loss_of(point.theta.reshape(-1))
'''

RUN_LOOP = '''

class Run:
    """One optimizer's run: its model, optimizer, lr scheduler, the loss of its next step
    (next_loss), the gradient noise of the race (None if it has none) and its path (the
    model's parameters as one vector, after every step)."""

    def __init__(self, label, model, optimizer, scheduler, next_loss, noise=None):
        self.label, self.model = label, model
        self.optimizer, self.scheduler, self.next_loss = optimizer, scheduler, next_loss
        self.noise = noise
        self.path = [self.theta()]
        self.losses = []
        self.diverged_at = None
        self.loss = math.nan

    def theta(self):
        return torch.nn.utils.parameters_to_vector(self.model.parameters()).detach().clone()

    def gradient(self):
        """The next step's loss; its gradient (plus the race's noise) is left in the
        parameters' .grad."""
        self.optimizer.zero_grad()
        loss = self.next_loss()
        loss.backward()
        if self.noise is not None:
            self.noise.add_to(self.model.parameters())
        return loss.detach()

    def again(self):
        """torch.optim.LBFGS's closure: this step's loss (its batch, on a dataset) and its
        gradient again, at the point the optimizer asks about; the app counts each call as a
        function evaluation."""
        with torch.enable_grad():
            self.optimizer.zero_grad()
            loss = getattr(self.next_loss, "again", self.next_loss)()
            loss.backward()
        if self.noise is not None:
            self.noise.add_to(self.model.parameters())
        return loss.detach()

    def healthy(self, loss, theta):
        """What the app checks after a step: a finite loss, θ inside [LOWER, UPPER] and, on a
        dataset, a finite gradient."""
        ok = bool(torch.isfinite(loss)) and bool(((LOWER <= theta) & (theta <= UPPER)).all())
        if ok and CHECK_GRADIENT:
            ok = all(bool(torch.isfinite(p.grad).all()) for p in self.model.parameters())
        return ok

    def race(self, steps):
        loss = self.gradient()
        self.losses.append(float(loss))
        for step in range(1, steps + 1):
            if isinstance(self.optimizer, torch.optim.LBFGS):
                self.optimizer.step(self.again)  # one step(closure): several evaluations
            else:
                self.optimizer.step()
            if self.scheduler is not None:
                self.scheduler.step()
            loss = self.gradient()
            theta = self.theta()
            if not self.healthy(loss, theta):
                self.diverged_at = step  # the app stops a run here
                return
            self.path.append(theta)
            self.losses.append(float(loss))
        self.loss = float(loss)

    def padded_path(self, steps):
        """(steps + 1, P): the path, NaN from the step the run diverged."""
        out = np.full((steps + 1, self.path[0].numel()), np.nan)
        taken = torch.stack(self.path).numpy()
        out[: len(taken)] = taken
        return out


def leaderboard(runs, steps):
    """Print the runs from the lowest last loss to the highest, the diverged ones last."""
    print(f"after {steps} steps (the loss of each run's last step):")
    for place, run in enumerate(sorted(runs, key=lambda r: (math.isnan(r.loss), r.loss)), 1):
        where = ", ".join(f"{v:.6g}" for v in run.path[-1].tolist()[:3])
        where += ", ..." if run.path[-1].numel() > 3 else ""
        status = f"diverged at step {run.diverged_at}" if run.diverged_at else f"loss {run.loss:.6g}"
        print(f"{place:3d}. {run.label:<24} {status}  at ({where})")


def save_paths(runs, steps, path):
    """One (steps + 1, P) array per run, keyed by its label, in the .npz file ``path``."""
    np.savez(path, **{run.label: run.padded_path(steps) for run in runs})
'''

GRADIENT_NOISE = '''

class GradientNoise:
    """The app's gradient noise: before each step, sigma times a standard normal is added to
    every component of the gradient, in the order of the parameters. SplitMix64 (Steele, Lea
    & Flood 2014) gives the bits, Box-Muller the normals; every run starts from the same
    state, so all runs meet the same noise (common random numbers), as in the app."""

    MASK = (1 << 64) - 1

    def __init__(self, sigma, state):
        self.sigma, self.state = sigma, state

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def normal(self):
        u1 = (float(self.next_u64() >> 11) + 1.0) * 2.0**-53  # (0, 1]
        u2 = float(self.next_u64() >> 11) * 2.0**-53  # [0, 1)
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def add_to(self, parameters):
        with torch.no_grad():
            for p in parameters:
                g = p.grad.view(-1)
                for i in range(g.numel()):
                    g[i] += self.sigma * self.normal()
'''

MAIN = '''

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS, help="steps per run")
    parser.add_argument("--save", metavar="NPZ", help="write every run's path to this .npz file")
    parser.add_argument("--plot", action="store_true", help="plot the losses (needs matplotlib)")
    args = parser.parse_args()
    if args.steps < 0:
        parser.error(f"--steps must be >= 0, not {args.steps}")
    runs = make_runs()
    for run in runs:
        run.race(args.steps)
    leaderboard(runs, args.steps)
    if args.save:
        save_paths(runs, args.steps, args.save)
    if args.plot:
        import matplotlib.pyplot as plt

        for run in runs:
            plt.plot(run.losses, label=run.label)
        plt.xlabel("step")
        plt.ylabel("loss")
        plt.legend()
        plt.show()


if __name__ == "__main__":
    main()
'''


def docstring_text(text: str) -> str:
    """User text (a title, a label, a formula) made safe inside a triple-quoted docstring."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


def unique_labels(labels: list[str]) -> list[str]:
    """The runs' labels, a repeated one numbered ("Adam", "Adam 2"): the .npz keys."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} {seen[label]}")
    return out


def _formula_source(problem: FormulaSurface) -> str:
    text = docstring_text(problem.text.strip())
    return (script_parts.C_LIBRARY + script_parts.DUAL
            + "\n\ndef value_and_gradient(x, y):\n"
            f'    """f = {text}, and df/dx, df/dy by forward-mode differentiation\n'
            "    (Dual), as the app computes them; built from the app's parse of the formula.\"\"\"\n"
            "    one, zero = torch.tensor(1.0), torch.tensor(0.0)\n"
            "    x, y = Dual(x, one, zero), Dual(y, zero, one)\n"
            f"    f = {lower(problem.tree)}\n"
            "    return f.v.clone(), f.dx.clone(), f.dy.clone()\n"
            + script_parts.EXACT_GRADIENT)


def _problem_source(problem, infos) -> tuple[str, str]:
    """(a line naming the problem, the source of everything the runs' losses need)."""
    if isinstance(problem, FormulaSurface):
        return f"the formula {problem.text.strip()}", _formula_source(problem)
    if isinstance(problem, SurfaceProblem):
        surface = problem.surface
        return (f"{surface.name}, {surface.formula}", script_parts.C_LIBRARY + "\n\n"
                + surface_function(surface.key) + script_parts.EXACT_GRADIENT)
    if isinstance(problem, DatasetProblem):
        return dataset_source(problem, list(dict.fromkeys(info.options["loss"] for info in infos)))
    raise ValueError("the PyTorch export takes a surface, a formula or a dataset, "
                     f"not {type(problem).__name__}")


def _vector(values) -> str:
    return "[" + ", ".join(number(float(v)) for v in np.asarray(values, dtype=float)) + "]"


def _run_lines(race, info, label: str, start_name: str, noise: str) -> tuple[list[str], str | None]:
    """The lines of make_runs() that create one run, and the script part its optimizer needs."""
    newton = get_optimizer(info.optimizer).needs_hessian
    if isinstance(race.problem, DatasetProblem):
        o = info.options
        key = race.problem.shuffle_key(race.seed, info.uid)
        batch = str(int(o["batch_size"])) if o["batch_size"] else "None"
        made = ["    model = make_model()", f"    set_parameters(model, {start_name})"]
        loss = (f"batch_losses(model, batch_size={batch}, shuffle_key={key:#x}, "
                f"loss={o['loss']}_loss, l1={number(o['l1'])}, l2={number(o['l2'])})")
        hessian = (f"batch_hessian(model, next_loss, {o['loss']}_loss, {number(o['l1'])}, "
                   f"{number(o['l2'])})")
        extra = script_parts.DATASET_HESSIAN
    else:
        shape = ", (1, 2)" if info.optimizer == "muon" else ""  # Muon takes matrices
        made = [f"    model = Point({start_name}{shape})"]
        loss = "surface_loss(model)"
        hessian, extra = "surface_hessian", script_parts.SURFACE_HESSIAN
    if newton:  # the loss is named: the Hessian follows the batch it takes
        made.append(f"    next_loss = {loss}")
        loss = "next_loss"
    optimizer, part = optimizer_line(info.optimizer, info.hyper, "model.parameters()",
                                     hessian if newton else None)
    if newton:
        part = part + extra
    return ["", *made, f"    optimizer = {optimizer}",
            f"    scheduler = {scheduler_line(info.schedule)}",
            f"    runs.append(Run({label!r}, model, optimizer, scheduler, {loss}{noise}))"], part


@dataclass(frozen=True)
class ScriptSections:
    """A race's script in the pieces the script and the notebook put together.

    ``problem``: a line naming it; ``runs``: one (label, optimizer key, schedule text or "")
    per run; ``exactness``: how close the paths are to the app's; then the source of the
    imports, the problem, the optimizers torch.optim lacks (``optimizers``, maybe empty) and
    make_runs(); ``run_loop``: the Run class, leaderboard(), save_paths() and, if the race
    has gradient noise, GradientNoise.
    """

    problem: str
    runs: tuple[tuple[str, str, str], ...]
    exactness: str
    n_params: int
    dataset: bool
    header: str
    problem_source: str
    optimizers: str
    make_runs: str
    run_loop: str = RUN_LOOP


def script_sections(race) -> ScriptSections:
    """``race``'s script in pieces; ValueError (a one-line message) for what the export
    cannot reproduce."""
    problem = race.problem
    noisy = race.noise > 0.0
    noise = ", GradientNoise(NOISE, NOISE_STATE)" if noisy else ""
    infos = [race.run_info(uid) for uid in race.run_ids]
    if not infos:
        raise ValueError("the race has no runs to export")
    what, problem_code = _problem_source(problem, infos)
    dataset = isinstance(problem, DatasetProblem)
    labels = unique_labels([info.label for info in infos])
    starts: list[tuple] = []  # the distinct starts, each written once
    parts: list[str] = []
    lines: list[str] = []
    for info, label in zip(infos, labels, strict=True):
        start = tuple(float(v) for v in info.start)
        if start not in starts:
            starts.append(start)
        run_lines, part = _run_lines(race, info, label, f"START_{starts.index(start)}", noise)
        lines += run_lines
        if part is not None and part not in parts:
            parts.append(part)
    make_runs = (
        "\n\n# ------------------------------------------------------------------ the runs\n"
        f"LOWER = torch.tensor({_vector(problem.box.lo)})  # a run leaving [LOWER, UPPER]\n"
        f"UPPER = torch.tensor({_vector(problem.box.hi)})  # has diverged: the app stops it\n"
        f"CHECK_GRADIENT = {dataset}\n"
        + (f"NOISE = {number(race.noise)}  # the race's gradient noise: its size, its stream's start\n"
           f"NOISE_STATE = {stream_seed(race.seed, 0):#x}\n" if noisy else "")
        + "".join(f"START_{i} = {_vector(s)}\n" for i, s in enumerate(starts))
        + ("# Seed fans (a run's repeats = N in the app): this script runs repeat 0 of each, the one\n"
           "# seeded with the race's own seed; repeat k's seed is engine.race.fans.repeat_seed(seed, k).\n"
           if any(info.repeats > 1 for info in infos) else "")
        + "\n\ndef make_runs():\n"
        '    """Every run as the app set it up: label, model at step 0, optimizer, lr scheduler."""\n'
        "    runs = []"
        + "\n".join(lines) + "\n    return runs\n"
    )
    runs = tuple((label, info.optimizer, "" if info.schedule.is_constant else info.schedule.describe())
                 for info, label in zip(infos, labels, strict=True))
    return ScriptSections(
        problem=what, runs=runs, exactness=DATASET_EXACTNESS if dataset else SURFACE_EXACTNESS,
        n_params=problem.n_params, dataset=dataset, header=script_parts.HEADER,
        problem_source=("\n\n# ------------------------------------------------------------------ the problem"
                        + problem_code + ("" if dataset else POINT)),
        optimizers="".join(parts), make_runs=make_runs,
        run_loop=RUN_LOOP + (GRADIENT_NOISE if noisy else ""))


def torch_script(race, title: str = "", steps: int = 300, name: str = "race.py") -> str:
    """The text of a standalone script that replays ``race``'s runs from step 0 in torch.

    Raises ValueError (a one-line message) for what the export cannot reproduce.
    """
    sections = script_sections(race)
    run_list = ", ".join(f"{label} ({key}" + (f", {schedule}" if schedule else "") + ")"
                         for label, key, schedule in sections.runs)
    doc = DOCSTRING.format(title=docstring_text(title or "A Descent Lab race in PyTorch"),
                           version=__version__, problem=docstring_text(sections.problem),
                           runs=docstring_text(run_list), name=docstring_text(name),
                           n_params=sections.n_params, exactness=sections.exactness)
    return (doc + "\n" + sections.header + sections.problem_source + sections.optimizers
            + sections.make_runs + sections.run_loop
            + MAIN.replace("DEFAULT_STEPS", str(int(steps))))
