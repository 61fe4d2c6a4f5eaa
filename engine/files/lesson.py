"""Lessons: a lecture as data — steps, each a scene with a caption, notes, a question, a stop.

A lesson file is TOML, parsed with ``tomllib`` and checked whole before anything uses it
(never executed). The keys are a contract (issue 26; README "Lessons")::

    [lesson]
    title = { en = "From SGD to Adam", zh_CN = "从 SGD 到 Adam" }

    [[steps]]
    title = { en = "…", zh_CN = "…" }
    say = { en = "caption on the map", zh_CN = "…" }    # **bold** and $…$ formulas allowed
    notes = { en = "presenter notes", zh_CN = "…" }
    preset = "narrow-ellipse"      # or an inline [steps.scene] table in scene-file syntax
    play = 150                     # race to this step when the step opens (0: wait for Space)
    until = "reached:momentum"     # optional stop: "step:N", "reached:RUN", "loss:RUN<X"
    hide = ["equations"]           # panels hidden in this step (names of the panel registry)
    lock = ["problem", "runs"]     # shown but not editable
    view = { explain = true, basins = false, view3d = false, presentation = true }
    ask = { en = "Who first?", zh_CN = "…", choices = ["GD", "Momentum"], answer = "Momentum" }

Beyond the contract: ``[lesson] description``, a step's ``cite`` (the source it shows, e.g.
the note's section), and a step with neither ``preset`` nor ``scene`` shows the scene of
the step before it again. Runs are named by their labels (a run without one by its
optimizer's name), in any of the label's languages, ignoring case, or by the optimizer key.

A bad file is refused whole with a :class:`LessonError` naming the file, the line and the
field: ``lesson.toml:12: step 2, until: cannot parse 'reached momentum'; …``. Steps are
numbered from 1, as ``--lesson-step`` counts them.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from ..optimizers import OPTIMIZERS
from ..quoted import quoted
from ..translatable import LocalText
from .export_data import race_for_scene
from .scene import MAX_STEP_LIMIT, Scene, SceneError, load_scene, scene_from_dict, scene_to_dict
from .scene_fields import LANGUAGE_CODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_FILE_BYTES = 2_000_000
MAX_STEPS = 200
MAX_PLAY = MAX_STEP_LIMIT
MAX_CHOICES = 8

# The names of the window's panels (gui/panels/__init__.py PANELS; the engine does not import
# the GUI, tests/gui/test_lesson_cli.py checks the two lists agree).
PANEL_NAMES = ("problem", "runs", "map", "view3d", "timeline", "data", "loss", "hyper", "board",
               "equations")
# The view flags a step may set (``view = { explain = true, … }``), each true or false.
VIEW_FLAGS = ("explain", "basins", "view3d", "presentation")

_LESSON_KEYS = {"lesson", "steps"}
_HEAD_KEYS = {"title", "description"}
_STEP_KEYS = {"title", "say", "notes", "cite", "preset", "scene", "play", "until", "hide", "lock",
              "view", "ask"}
_TEXT_LIMITS = {"title": 200, "say": 1000, "notes": 5000, "cite": 200, "description": 2000}


class LessonError(ValueError):
    """A lesson that cannot be used. ``str()`` names the file, the line and the field;
    ``source``, ``line`` (None if unknown), ``field`` and ``reason`` hold them apart."""

    def __init__(self, source: str, line: int | None, field: str, reason: str):
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")
        self.source, self.line, self.field, self.reason = source, line, field, reason


# ------------------------------------------------------------------------------- the model
def run_names(run) -> set[str]:
    """The names a run answers to (case-folded): its label in every language it has, and its
    optimizer's key and display name when it has no label. ``run``: a RunConfig or a
    RunSnapshot (whose ``label`` is the optimizer's name when none was given)."""
    names = {run.optimizer.casefold()}
    label = run.label
    if label:
        names.add(str(label).casefold())
        names.update(t.casefold() for t in getattr(label, "translations", {}).values())
    else:
        names.add(OPTIMIZERS[run.optimizer].name.casefold())
    return names


_UNTIL = re.compile(r"^\s*(?:(step)\s*:\s*(\d+)|(reached)\s*:\s*(.+?)|(loss)\s*:\s*(.+?)\s*<\s*(\S+))\s*$")
UNTIL_FORMS = '"step:N", "reached:RUN" or "loss:RUN<X"'


@dataclass(frozen=True)
class Until:
    """Where the race stops in a step: at step ``step`` ("step:N"), when run ``run`` reaches
    a minimum ("reached:RUN"), or when its loss falls below ``below`` ("loss:RUN<X")."""

    kind: str  # "step", "reached" or "loss"
    step: int | None = None
    run: str | None = None
    below: float | None = None

    @classmethod
    def parse(cls, text: str) -> Until:
        """``Until`` from its text; ValueError (naming the forms) if it cannot parse."""
        m = _UNTIL.match(text) if isinstance(text, str) else None
        if m is None:
            raise ValueError(f"cannot parse {quoted(text)}; expected {UNTIL_FORMS}")
        if m.group(1):
            n = int(m.group(2))
            if not 1 <= n <= MAX_PLAY:
                raise ValueError(f"step:{n}: the step must be in [1, {MAX_PLAY}]")
            return cls("step", step=n)
        if m.group(3):
            return cls("reached", run=m.group(4))
        try:
            x = float(m.group(7))
        except ValueError:
            raise ValueError(f"cannot parse {quoted(text)}: {quoted(m.group(7))} is not a number; "
                             f"expected {UNTIL_FORMS}") from None
        if not math.isfinite(x):
            raise ValueError(f"cannot parse {quoted(text)}: the loss must be a finite number")
        return cls("loss", run=m.group(6), below=x)

    def __str__(self) -> str:
        if self.kind == "step":
            return f"step:{self.step}"
        if self.kind == "reached":
            return f"reached:{self.run}"
        return f"loss:{self.run}<{self.below!r}"

    def find_run(self, runs):
        """The first of ``runs`` (RunConfigs or RunSnapshots) this stop names, else None."""
        if self.run is None:
            return None
        name = self.run.casefold()
        return next((r for r in runs if name in run_names(r)), None)

    def met(self, snapshot) -> bool:
        """Whether the race in ``snapshot`` (engine.race.Snapshot) has come to this stop."""
        if self.kind == "step":
            return snapshot.step >= self.step
        run = self.find_run(snapshot.runs)
        if run is None:
            return False
        if self.kind == "reached":
            return run.reached_at is not None
        return math.isfinite(run.loss) and run.loss < self.below


@dataclass
class Ask:
    """A question put before the race plays: ``text``, the ``choices`` shown as buttons,
    and the ``answer`` (one of the choices, or None for an open question)."""

    text: str
    choices: tuple[str, ...] = ()
    answer: str | None = None

    @property
    def answer_index(self) -> int | None:
        return None if self.answer is None else self.choices.index(self.answer)


@dataclass
class LessonStep:
    title: str | None = None
    say: str | None = None
    notes: str | None = None
    cite: str | None = None
    preset: str | None = None
    scene: Scene | None = None  # inline [steps.scene]; else the preset's; else the step before's
    play: int = 0
    until: Until | None = None
    hide: tuple[str, ...] = ()
    lock: tuple[str, ...] = ()
    view: dict[str, bool] = field(default_factory=dict)
    ask: Ask | None = None


@dataclass
class Lesson:
    title: str
    steps: list[LessonStep] = field(default_factory=list)
    source: Path | None = None  # the file it was read from
    description: str = ""

    @property
    def name(self) -> str:
        """What ``--lesson`` takes: the file's stem without a leading number ("from-sgd-to-adam")."""
        return _short_name(self.source) if self.source is not None else ""

    def scene_of(self, k: int) -> Scene:
        """The scene step ``k`` (from 0) shows: its own, its preset's, else the one before's."""
        for step in reversed(self.steps[:k + 1]):
            if step.scene is not None:
                return step.scene
            if step.preset is not None:
                return load_preset(step.preset)
        raise LessonError(self.source.name if self.source else "<lesson>", None, "step 1",
                          "the first step needs a preset or a scene")


UNTIL_SEARCH = 20_000  # a step with play = 0 and an until: how far its stop is looked for


def play_point(lesson: Lesson, k: int) -> int:
    """The race step step ``k`` (from 0) is shown at: its ``play`` steps, or earlier where its
    ``until`` stops the race; with ``play = 0``, where ``until`` stops it (looked for up to the
    scene's step limit, at most :data:`UNTIL_SEARCH`), else 0. Races the scene (a few
    milliseconds for hundreds of steps; may compile kernels on a first launch)."""
    step = lesson.steps[k]
    if step.until is None:
        return step.play
    scene = lesson.scene_of(k)
    if step.until.kind == "step":
        return min(step.play, step.until.step) if step.play else step.until.step
    limit = step.play or min(scene.step_limit or UNTIL_SEARCH, UNTIL_SEARCH)
    race = race_for_scene(scene)
    while race.step < limit:
        if step.until.met(race.snapshot(history=False)):
            break
        race.advance(1)
    if step.until.met(race.snapshot(history=False)) or step.play:
        return race.step
    return 0


# -------------------------------------------------------------------------- where things are
def resources_dir() -> Path:
    """The app's resources folder (as gui/support/resources.py finds it; a test checks)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def presets_dir() -> Path:
    return resources_dir() / "presets"


def lessons_dir() -> Path:
    return resources_dir() / "lessons"


def _short_name(path: Path) -> str:
    """'01-narrow-ellipse.toml' → 'narrow-ellipse' (as gui/support/presets.py names presets)."""
    head, _, rest = path.stem.partition("-")
    return rest if head.isdigit() and rest else path.stem


def preset_paths() -> dict[str, Path]:
    """Every shipped preset by the names ``preset = …`` takes (short name and file stem)."""
    out: dict[str, Path] = {}
    for path in sorted(presets_dir().glob("*.toml")):
        out.setdefault(_short_name(path), path)
        out.setdefault(path.stem, path)
    return out


_PRESET_CACHE: dict[Path, tuple[float, Scene]] = {}


def load_preset(name: str) -> Scene:
    """The shipped preset ``name`` as a Scene (read once per file version; not built)."""
    paths = preset_paths()
    if name not in paths:
        raise SceneError(f"unknown preset {quoted(name)}; choose one of: "
                         f"{', '.join(sorted({_short_name(p) for p in paths.values()}))}")
    path = paths[name]
    stamp = path.stat().st_mtime
    cached = _PRESET_CACHE.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, load_scene(path, build=False))
        _PRESET_CACHE[path] = cached
    return cached[1]


def builtin_lesson_paths() -> list[Path]:
    return sorted(lessons_dir().glob("*.toml"))


def builtin_lessons() -> list[Lesson]:
    """The shipped lessons (resources/lessons), in file-name order; a broken one is skipped
    (tests/engine/test_lesson_file.py loads each and fails on any)."""
    out = []
    for path in builtin_lesson_paths():
        try:
            out.append(load_lesson(path))
        except LessonError:
            continue
    return out


def find_lesson(name_or_path) -> Lesson:
    """A shipped lesson by name ("from-sgd-to-adam" or its file stem), else a lesson file."""
    if isinstance(name_or_path, str):
        for path in builtin_lesson_paths():
            if name_or_path in (path.stem, _short_name(path)):
                return load_lesson(path)
    path = Path(name_or_path)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_lesson(path)
    names = ", ".join(_short_name(p) for p in builtin_lesson_paths())
    raise LessonError(str(name_or_path), None, "",
                      f"no such lesson; give a lesson file (.toml) or one of: {names}")


# ------------------------------------------------------------------------ reading and lines
class _Lines:
    """Where each table and key of a TOML text starts (tomllib gives no line numbers):
    paths like ``("steps", 2, "scene", "runs", 0, "lr")`` → line (from 1)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    _NAME = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
    _KEY = re.compile(rf"^\s*({_NAME}(?:\s*\.\s*{_NAME})*)\s*=")

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        arrays: dict[tuple, int] = {}
        table: tuple = ()
        in_string = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                in_string = (line.count('"""') + line.count("'''")) % 2 == 0
                continue
            head = self._HEADER.match(line)
            if head:
                parts = self._parts(head.group(2))
                path: tuple = ()
                for i, part in enumerate(parts):
                    path += (part,)
                    last = i == len(parts) - 1
                    if last and head.group(1) == "[[":
                        arrays[path] = arrays.get(path, -1) + 1
                        self.lines.setdefault(path, number)
                        path += (arrays[path],)
                    elif path in arrays:
                        path += (arrays[path],)
                table = path
                self.lines.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                self.lines.setdefault(table + tuple(self._parts(key.group(1))), number)
                rest = line[key.end():]
                if (rest.count('"""') + rest.count("'''")) % 2 == 1:
                    in_string = True

    @staticmethod
    def _parts(dotted: str) -> list[str]:
        return [p.strip().strip("\"'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', dotted)]

    def line_of(self, path: tuple) -> int | None:
        """The line of ``path``, else of its longest prefix found, else None."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None


def _field_name(path: tuple) -> str:
    """("steps", 2, "ask", "answer") → "step 3, ask.answer" (steps from 1)."""
    if not path:
        return ""
    if path[0] == "steps" and len(path) > 1 and isinstance(path[1], int):
        rest = _dotted(path[2:])
        return f"step {path[1] + 1}, {rest}" if rest else f"step {path[1] + 1}"
    return _dotted(path)


def _dotted(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


_SCENE_WHERE = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\])?(?:\.[A-Za-z_]\w*(?:\[\d+\])?)*): (.*)$", re.S)


class _Reader:
    def __init__(self, source: str, text: str | None, panels):
        self.source = source
        self.where = _Lines(text) if text is not None else None
        self.panels = tuple(panels)

    def fail(self, path: tuple, reason: str) -> LessonError:
        line = self.where.line_of(path) if self.where is not None else None
        return LessonError(self.source, line, _field_name(path), reason)

    def keys(self, path, table, allowed):
        if not isinstance(table, dict):
            raise self.fail(path, f"expected a table, got {quoted(table)}")
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            raise self.fail(path + (unknown[0],),
                            f"unknown key {quoted(unknown[0])}; allowed keys: {', '.join(sorted(allowed))}")

    def text(self, path, value, limit):
        if isinstance(value, str):
            if len(value) > limit:
                raise self.fail(path, f"too long ({len(value)} characters, at most {limit})")
            return value
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a string or a table of languages like "
                                  f"{{ en = \"...\", zh_CN = \"...\" }}, got {quoted(value)}")
        if not value:
            raise self.fail(path, "expected at least one language, like { en = \"...\" }")
        for code, text in value.items():
            if code not in LANGUAGE_CODES:
                raise self.fail(path + (code,), f"unknown language {quoted(code)}; choose one of: "
                                                f"{', '.join(LANGUAGE_CODES)}")
            self.text(path + (code,), text, limit)
        return LocalText(value)

    def names(self, path, value, allowed, what):
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of {what} names like [\"{allowed[0]}\"], got {quoted(value)}")
        for name in value:
            if not isinstance(name, str) or name not in allowed:
                raise self.fail(path, f"unknown {what} {quoted(name)}; choose among: {', '.join(allowed)}")
        return tuple(dict.fromkeys(value))

    def lesson(self, data) -> Lesson:
        self.keys((), data, _LESSON_KEYS)
        head = data.get("lesson")
        if head is None:
            raise self.fail(("lesson",), "missing section [lesson] (with title = \"...\")")
        self.keys(("lesson",), head, _HEAD_KEYS)
        if "title" not in head:
            raise self.fail(("lesson",), "missing title (e.g. title = { en = \"...\", zh_CN = \"...\" })")
        lesson = Lesson(self.text(("lesson", "title"), head["title"], _TEXT_LIMITS["title"]))
        if "description" in head:
            lesson.description = self.text(("lesson", "description"), head["description"],
                                           _TEXT_LIMITS["description"])
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            raise self.fail(("steps",), "expected at least one [[steps]] table")
        if len(steps) > MAX_STEPS:
            raise self.fail(("steps",), f"too many steps ({len(steps)}, at most {MAX_STEPS})")
        previous: Scene | None = None
        for k, table in enumerate(steps):
            step, previous = self.step(("steps", k), table, previous)
            lesson.steps.append(step)
        return lesson

    def step(self, path, table, previous):
        self.keys(path, table, _STEP_KEYS)
        step = LessonStep()
        for key in ("title", "say", "notes", "cite"):
            if key in table:
                setattr(step, key, self.text(path + (key,), table[key], _TEXT_LIMITS[key]))
        if "preset" in table and "scene" in table:
            raise self.fail(path + ("scene",), "give a preset or a scene, not both")
        scene = previous
        if "preset" in table:
            name = table["preset"]
            if not isinstance(name, str):
                raise self.fail(path + ("preset",), f"expected a preset's name, got {quoted(name)}")
            try:
                scene = load_preset(name)
            except SceneError as exc:
                raise self.fail(path + ("preset",), str(exc)) from None
            step.preset = name
        elif "scene" in table:
            step.scene = scene = self.scene(path + ("scene",), table["scene"])
        if scene is None:
            raise self.fail(path, "the first step needs a preset = \"...\" or a [steps.scene] table")
        if "play" in table:
            play = table["play"]
            if isinstance(play, bool) or not isinstance(play, int) or not 0 <= play <= MAX_PLAY:
                raise self.fail(path + ("play",), f"expected a step count in [0, {MAX_PLAY}], got {quoted(play)}")
            step.play = play
        if "until" in table:
            try:
                step.until = Until.parse(table["until"])
            except ValueError as exc:
                raise self.fail(path + ("until",), str(exc)) from None
            if step.until.run is not None and step.until.find_run(scene.runs) is None:
                named = ", ".join(quoted(str(r.label or OPTIMIZERS[r.optimizer].name))
                                  for r in scene.runs) or "none"
                raise self.fail(path + ("until",), f"no run named {quoted(step.until.run)} in this step's "
                                                   f"scene; its runs: {named}")
        if "hide" in table:
            step.hide = self.names(path + ("hide",), table["hide"], self.panels, "panel")
        if "lock" in table:
            step.lock = self.names(path + ("lock",), table["lock"], self.panels, "panel")
        if "view" in table:
            view = table["view"]
            self.keys(path + ("view",), view, VIEW_FLAGS)
            for key, value in view.items():
                if not isinstance(value, bool):
                    raise self.fail(path + ("view", key), f"expected true or false, got {quoted(value)}")
            step.view = dict(view)
        if "ask" in table:
            step.ask = self.ask(path + ("ask",), table["ask"])
        return step, scene

    def scene(self, path, table) -> Scene:
        if not isinstance(table, dict):
            raise self.fail(path, f"expected a [steps.scene] table in scene-file syntax, got {quoted(table)}")
        marker = "\x00scene"
        try:
            return scene_from_dict(table, marker, build=False)
        except SceneError as exc:
            text = str(exc).removeprefix(marker + ": ")
            m = _SCENE_WHERE.match(text)
            if m is None:
                raise self.fail(path, text) from None
            parts: tuple = ()
            for piece in m.group(1).split("."):
                name, _, index = piece.partition("[")
                parts += (name,) + ((int(index.rstrip("]")),) if index else ())
            named = re.search(r"\b([A-Za-z_]\w*)=", m.group(2))  # "…: lr=-1.0 (allowed: …)"
            if named and self.where is not None and path + parts + (named.group(1),) in self.where.lines:
                parts += (named.group(1),)
            raise self.fail(path + parts, m.group(2)) from None

    def ask(self, path, table) -> Ask:
        if not isinstance(table, dict):
            raise self.fail(path, f"expected a table like {{ en = \"...\", choices = [...], answer = \"...\" }}, "
                                  f"got {quoted(table)}")
        self.keys(path, table, {"text", "choices", "answer", *LANGUAGE_CODES})
        languages = {k: v for k, v in table.items() if k in LANGUAGE_CODES}
        if "text" in table and languages:
            raise self.fail(path + ("text",), "give the question as text = … or as en = …, zh_CN = …, not both")
        if "text" in table:
            text = self.text(path + ("text",), table["text"], _TEXT_LIMITS["say"])
        elif languages:
            text = self.text(path, languages, _TEXT_LIMITS["say"])
        else:
            raise self.fail(path, "missing the question (en = \"...\", zh_CN = \"...\")")
        choices = table.get("choices", [])
        if not isinstance(choices, list) or len(choices) > MAX_CHOICES:
            raise self.fail(path + ("choices",), f"expected a list of at most {MAX_CHOICES} choices, "
                                                 f"got {quoted(choices)}")
        shown = tuple(self.text(path + ("choices",), c, 80) for c in choices)
        answer = None
        if "answer" in table:
            given = table["answer"]
            if not shown:
                raise self.fail(path + ("answer",), "an answer needs choices = [...] to be among")
            match = next((c for c in shown if isinstance(given, str) and
                          (given == str(c) or given in getattr(c, "translations", {}).values())), None)
            if match is None:
                raise self.fail(path + ("answer",), f"{quoted(given)} is not among the choices: "
                                                    f"{', '.join(quoted(str(c)) for c in shown)}")
            answer = match
        return Ask(text, shown, answer)


def lesson_from_dict(data: dict, source: str = "<lesson>", *, text: str | None = None,
                     panels=PANEL_NAMES) -> Lesson:
    """Validate parsed TOML and build a Lesson; raises LessonError. ``text``: the TOML it was
    parsed from (for line numbers); ``panels``: the panel names ``hide`` and ``lock`` take."""
    return _Reader(source, text, panels).lesson(data)


def loads_lesson(text: str, source: str = "<lesson>", *, panels=PANEL_NAMES) -> Lesson:
    if len(text) > MAX_FILE_BYTES:
        raise LessonError(source, None, "", f"too large ({len(text):,} characters; a lesson is at most "
                                            f"{MAX_FILE_BYTES:,})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise LessonError(source, int(m.group(1)) if m else None, "", f"not valid TOML: {exc}") from None
    except RecursionError:
        raise LessonError(source, None, "", "not valid TOML: nested too deeply") from None
    return lesson_from_dict(data, source, text=text, panels=panels)


def load_lesson(path_or_text, *, panels=PANEL_NAMES) -> Lesson:
    """A lesson from a file (a Path, or a str naming one) or from TOML text (a str holding a
    newline or an "="). Never executes anything from it; raises LessonError."""
    if isinstance(path_or_text, str) and ("\n" in path_or_text or "=" in path_or_text):
        return loads_lesson(path_or_text, panels=panels)
    path = Path(path_or_text)
    source = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise LessonError(source, None, "", f"too large (at most {MAX_FILE_BYTES:,} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise LessonError(source, None, "", f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LessonError(source, None, "", "not a text file (expected UTF-8 TOML)") from None
    lesson = loads_lesson(text, source, panels=panels)
    lesson.source = path
    return lesson


# --------------------------------------------------------------------------------- writing
def _plain(text):
    return dict(text.translations) if isinstance(text, LocalText) else str(text)


def lesson_to_dict(lesson: Lesson) -> dict:
    head: dict = {"title": _plain(lesson.title)}
    if lesson.description:
        head["description"] = _plain(lesson.description)
    steps = []
    for step in lesson.steps:
        table: dict = {}
        for key in ("title", "say", "notes", "cite"):
            value = getattr(step, key)
            if value is not None:
                table[key] = _plain(value)
        if step.preset is not None:
            table["preset"] = step.preset
        if step.play:
            table["play"] = step.play
        if step.until is not None:
            table["until"] = str(step.until)
        if step.hide:
            table["hide"] = list(step.hide)
        if step.lock:
            table["lock"] = list(step.lock)
        if step.view:
            table["view"] = dict(step.view)
        if step.ask is not None:
            ask = step.ask
            out = dict(ask.text.translations) if isinstance(ask.text, LocalText) else {"text": str(ask.text)}
            if ask.choices:
                out["choices"] = [_plain(c) for c in ask.choices]
            if ask.answer is not None:
                out["answer"] = str(ask.answer)
            table["ask"] = out
        if step.scene is not None:  # last: a sub-table after the step's own keys
            table["scene"] = scene_to_dict(step.scene)
        steps.append(table)
    return {"lesson": head, "steps": steps}


def lesson_to_toml(lesson: Lesson) -> str:
    """The lesson as TOML that :func:`loads_lesson` reads back to the same lesson."""
    return tomli_w.dumps(lesson_to_dict(lesson))


def save_lesson(lesson: Lesson, path) -> None:
    """Write atomically: a failed save never leaves half a file behind."""
    from .atomic_file import write_atomically

    write_atomically(Path(path), lesson_to_toml(lesson))
