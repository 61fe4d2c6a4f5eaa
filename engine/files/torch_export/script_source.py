"""A race as one standalone PyTorch script: its problem, its runs, a loop that steps them.

``torch_script(race)`` returns the script's text. The problem comes first (a catalogue
surface from :mod:`.surface_table`, a typed formula lowered from its tree by
:mod:`.formula_lowering`), then each run's ``torch.optim`` optimizer and lr scheduler
(:mod:`.optimizer_lines`), then the race loop, the leaderboard and ``--save paths.npz``:
one ``(steps + 1, P)`` array per run keyed by its label, NaN from the step a run diverged
on (the engine's ``trajectory`` contract).
"""

from __future__ import annotations

import numpy as np

from ..._version import __version__
from ...formula.problem import FormulaSurface
from ...surface.problem import SurfaceProblem
from . import script_parts
from .formula_lowering import lower
from .optimizer_lines import number, optimizer_line, scheduler_line
from .surface_table import surface_function

SQRT_OPTIMIZERS = ("adagrad", "rmsprop", "adadelta", "adam", "adamw", "nadam", "radam")

DOCSTRING = '''"""{title}

Exported from Descent Lab {version}: {problem}
Runs: {runs}.

    python {name} [--steps N] [--save paths.npz] [--plot]

Every run starts where it started in the app, with its optimizer's settings, and is
stepped with the gradient the app uses, so the paths are the app's paths:

- float64 throughout, and torch.optim's single-tensor code path (foreach=False);
- the loss's backward() hands the optimizer the app's own gradient (ExactGradient);
- sin, cos, exp, ... come from the C library, as in the app (EXACT_AS_THE_APP).

One difference remains, in torch itself: Tensor.sqrt on the CPU goes through Intel MKL,
whose square root is 1 ulp low on about 1 input in 100 (IEEE 754, Python's math and the
app round correctly). Optimizers that divide by a root (Adagrad, RMSprop, Adadelta, Adam,
AdamW, NAdam, RAdam) can therefore leave the app's path by an ulp or so, which a long or
chaotic race can grow; GD, SGD, NAG, Momentum, Lion and Adamax match it bit for bit.

--save writes one array per run, keyed by its label: shape (steps + 1, {n_params}), row t
the parameters after step t, NaN from the step a run diverged (left [lower, upper]).
"""
'''

RACE_LOOP = '''

class Run:
    """One optimizer's run: its parameters, optimizer, lr scheduler and path."""

    def __init__(self, label, theta, optimizer, scheduler):
        self.label, self.theta = label, theta
        self.optimizer, self.scheduler = optimizer, scheduler
        self.path = [theta.detach().clone()]
        self.diverged_at = None

    def race(self, steps):
        loss = loss_of(self.theta)
        for step in range(1, steps + 1):
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            if self.scheduler is not None:
                self.scheduler.step()
            loss = loss_of(self.theta)
            theta = self.theta.detach()
            if not (torch.isfinite(loss) and bool(((LOWER <= theta) & (theta <= UPPER)).all())):
                self.diverged_at = step  # the app stops a run here
                break
            self.path.append(theta.clone())
        self.loss = float(loss.detach()) if self.diverged_at is None else math.nan

    def padded_path(self, steps):
        """(steps + 1, P): the path, NaN from the step the run diverged."""
        out = np.full((steps + 1, self.theta.numel()), np.nan)
        taken = torch.stack(self.path).numpy()
        out[: len(taken)] = taken
        return out


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
    print(f"after {args.steps} steps:")
    for place, run in enumerate(sorted(runs, key=lambda r: (math.isnan(r.loss), r.loss)), 1):
        where = ", ".join(f"{v:.6g}" for v in run.path[-1].tolist()[:4])
        status = f"diverged at step {run.diverged_at}" if run.diverged_at else f"loss {run.loss:.6g}"
        print(f"{place:3d}. {run.label:<24} {status}  at ({where})")
    if args.save:
        np.savez(args.save, **{run.label: run.padded_path(args.steps) for run in runs})
    if args.plot:
        import matplotlib.pyplot as plt

        for run in runs:
            plt.plot([float(loss_of(torch.as_tensor(p))) for p in run.path], label=run.label)
        plt.yscale("log")
        plt.xlabel("step")
        plt.ylabel("loss")
        plt.legend()
        plt.show()


if __name__ == "__main__":
    main()
'''


def unique_labels(labels: list[str]) -> list[str]:
    """The runs' labels, a repeated one numbered ("Adam", "Adam 2"): the .npz keys."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} {seen[label]}")
    return out


def _problem_source(problem) -> tuple[str, str]:
    """(one line naming the problem, the source of value_and_gradient and what it needs)."""
    if isinstance(problem, FormulaSurface):
        text = problem.text.strip().replace('"""', "'''")
        return (f"the formula {text}", script_parts.DUAL + (
            "\n\ndef value_and_gradient(x, y):\n"
            f'    """f = {text}, and df/dx, df/dy by forward-mode differentiation\n'
            '    (Dual), as the app computes them; built from the app\'s parse of the formula."""\n'
            "    one, zero = torch.tensor(1.0), torch.tensor(0.0)\n"
            "    x, y = Dual(x, one, zero), Dual(y, zero, one)\n"
            f"    f = {lower(problem.tree)}\n"
            "    return f.v.clone(), f.dx.clone(), f.dy.clone()\n"))
    if isinstance(problem, SurfaceProblem):
        surface = problem.surface
        return f"{surface.name}, {surface.formula}", "\n\n" + surface_function(surface.key)
    raise ValueError(f"the PyTorch export takes a surface or a formula, not {type(problem).__name__}")


def _vector(values) -> str:
    return "[" + ", ".join(number(float(v)) for v in np.asarray(values, dtype=float)) + "]"


def torch_script(race, title: str = "", steps: int = 300, name: str = "race.py") -> str:
    """The text of a standalone script that replays ``race``'s runs from step 0 in torch.

    Raises ValueError (a one-line message) for what the export cannot reproduce.
    """
    if getattr(race, "noise", 0.0) > 0.0:
        raise ValueError(f"the race adds gradient noise (noise = {race.noise:g}), which the "
                         "PyTorch export does not reproduce; set the noise to 0 to export it")
    problem = race.problem
    infos = [race.run_info(uid) for uid in race.run_ids]
    if not infos:
        raise ValueError("the race has no runs to export")
    what, problem_code = _problem_source(problem)
    labels = unique_labels([info.label for info in infos])
    parts: list[str] = []
    lines = []
    for info, label in zip(infos, labels, strict=True):
        opt, part = optimizer_line(info.optimizer, info.hyper, "[theta]")
        if part is not None and part not in parts:
            parts.append(part)
        lines += [
            "",
            f"    theta = torch.tensor({_vector(info.start)}, requires_grad=True)",
            f"    optimizer = {opt}",
            f"    scheduler = {scheduler_line(info.schedule)}",
            f"    runs.append(Run({label!r}, theta, optimizer, scheduler))",
        ]
    run_list = ", ".join(f"{label} ({info.optimizer}"
                         + ("" if info.schedule.is_constant else f", {info.schedule.describe()}") + ")"
                         for info, label in zip(infos, labels, strict=True))
    doc = DOCSTRING.format(title=title or "A Descent Lab race in PyTorch", version=__version__,
                           problem=what, runs=run_list, name=name, n_params=problem.n_params)
    make_runs = (
        "\n\n# ------------------------------------------------------------------ the runs\n"
        f"LOWER = torch.tensor({_vector(problem.box.lo)})  # a run leaving [LOWER, UPPER]\n"
        f"UPPER = torch.tensor({_vector(problem.box.hi)})  # has diverged: the app stops it\n"
        "\n\ndef make_runs():\n"
        '    """Every run as the app set it up: label, start, optimizer, lr scheduler."""\n'
        "    runs = []"
        + "\n".join(lines) + "\n    return runs\n"
    )
    problem_header = "\n\n# ------------------------------------------------------------------ the problem"
    return (doc + "\n" + script_parts.HEADER + script_parts.C_LIBRARY + problem_header
            + problem_code + script_parts.EXACT_GRADIENT + "".join(parts) + make_runs
            + RACE_LOOP.replace("DEFAULT_STEPS", str(int(steps))))
