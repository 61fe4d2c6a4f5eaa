"""A race as a Jupyter notebook: the exported PyTorch script's code in cells, with markdown
between them (the problem, each optimizer's update rule, the race, the leaderboard, a plot).

The code is :func:`.script_source.script_sections`'s, the same as the script's; only the
script's command line (main) is left out. The race cell's ``STEPS`` and ``SAVE_PATHS``
replace its ``--steps`` and ``--save``: with ``SAVE_PATHS = "paths.npz"`` the last cell
writes the paths, as ``--save`` does.
"""

from __future__ import annotations

import html

from ..._version import __version__
from ...optimizers import get_optimizer
from .notebook_json import code_cell, markdown_cell, notebook_json
from .script_source import ScriptSections, script_sections

MARKDOWN_ENTITIES = {ord(char): f"&#{ord(char)};" for char in "\\`*_[]#|"}

RACE = '''\
STEPS = {steps}  # steps per run
SAVE_PATHS = None  # a file name ("paths.npz"): the last cell saves every run's path there

runs = make_runs()
for run in runs:
    run.race(STEPS)
'''

PLOT = '''\
try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed, so there is no plot here: pip install matplotlib")

if plt is not None:
    figure, axes = plt.subplots(1, {panels}, figsize=({width}, 4), squeeze=False)
    losses = axes[0][-1]
    for run in runs:
        losses.plot(run.losses, label=run.label)
    losses.set_xlabel("step")
    losses.set_ylabel("loss")
    losses.set_yscale("symlog", linthresh=1e-6)
    losses.legend()
{paths}'''

SURFACE_PATHS = '''\
    paths = axes[0][0]
    for run in runs:
        xy = torch.stack(run.path).numpy()
        paths.plot(xy[:, 0], xy[:, 1], ".-", markersize=2, label=run.label)
    paths.set_xlabel("x")
    paths.set_ylabel("y")
    paths.set_title("paths")
'''

SAVE = '''\
if SAVE_PATHS:
    save_paths(runs, STEPS, SAVE_PATHS)
    print(f"saved every run's path in {SAVE_PATHS}")
'''


def markdown_text(text: str) -> str:
    """User text (a title, a label, a formula) shown as itself in markdown: HTML escaped, and
    the characters markdown would read as emphasis or code as entities."""
    return html.escape(str(text), quote=False).translate(MARKDOWN_ENTITIES)


def _update_rules(sections: ScriptSections) -> str:
    """Markdown: each optimizer of the race, its runs and its update rule (the equations
    panel's rich text; Jupyter renders the <sub>, <sup> and <i> in markdown)."""
    runs_of: dict[str, list[str]] = {}
    for label, key, schedule in sections.runs:
        runs_of.setdefault(key, []).append(label + (f" ({schedule})" if schedule else ""))
    out = ["## The optimizers", ""]
    for key, labels in runs_of.items():
        spec = get_optimizer(key)
        runs = ", ".join(markdown_text(label) for label in labels)
        out += [f"### {markdown_text(spec.name)}", "", f"Runs: {runs}. Reference: {markdown_text(spec.reference)}",
                "", f"<p>{spec.equations_html}</p>", ""]
    return "\n".join(out)


def notebook_cells(race, title: str = "", steps: int = 300) -> list[dict]:
    """The notebook's cells; ValueError (one line) for what the export cannot reproduce."""
    sections = script_sections(race)
    title = title or "A Descent Lab race in PyTorch"
    plot = PLOT.format(panels=1 if sections.dataset else 2, width=6 if sections.dataset else 11,
                       paths="" if sections.dataset else SURFACE_PATHS)
    return [
        markdown_cell(f"# {markdown_text(title)}\n\nExported from Descent Lab {__version__}.\n\n"
                      f"**The problem:** {markdown_text(sections.problem)}.\n\n"
                      f"{markdown_text(sections.exactness.strip())}"),
        code_cell(sections.header),
        markdown_cell("## The problem\n\nThe loss, as the app computes it."),
        code_cell(sections.problem_source),
        markdown_cell(_update_rules(sections)),
        code_cell(sections.optimizers + sections.make_runs),
        markdown_cell("## The race\n\nEach run steps its optimizer and stops where the app stops it "
                      "(a loss that is not finite, or a point outside the box)."),
        code_cell(sections.run_loop),
        code_cell(RACE.format(steps=int(steps))),
        markdown_cell("## The leaderboard\n\nThe lowest loss at the last step first; diverged runs last."),
        code_cell("leaderboard(runs, STEPS)"),
        markdown_cell("## Paths and loss curves" if not sections.dataset else "## Loss curves"),
        code_cell(plot),
        markdown_cell("## Saving the paths\n\nWith `SAVE_PATHS` set in the race cell, one array "
                      f"per run, keyed by its label: shape (STEPS + 1, {sections.n_params}), "
                      "NaN from the step a run diverged."),
        code_cell(SAVE),
    ]


def torch_notebook(race, title: str = "", steps: int = 300) -> str:
    """The JSON text of a notebook that replays ``race``'s runs from step 0 in torch."""
    return notebook_json(notebook_cells(race, title, steps))
