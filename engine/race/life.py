"""A run's life for the timeline: how it began and the live edits made since (engine.race.replay)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Edit:
    """A live change made to a run after ``age`` of its steps."""

    age: int
    kind: str  # "hyper" (value: every hyperparameter, validated) or "noise" (value: σ)
    value: object


@dataclass
class Life:
    """How a run's current life began, and the live edits made since (in order)."""

    hyper0: dict = field(default_factory=dict)
    noise0: float = 0.0
    edits: list[Edit] = field(default_factory=list)

    def note(self, age: int, kind: str, value) -> None:
        value = dict(value) if kind == "hyper" else float(value)
        if age == 0:  # no step taken yet: it is how the run begins
            if kind == "hyper":
                self.hyper0 = value
            else:
                self.noise0 = value
        else:
            self.edits.append(Edit(int(age), kind, value))

    def until(self, age: int) -> list[Edit]:
        """The edits made at or before ``age``."""
        return [e for e in self.edits if e.age <= age]

    def at(self, age: int) -> tuple[dict, float]:
        """The hyperparameters and noise σ in effect after ``age`` steps."""
        hyper, noise = dict(self.hyper0), self.noise0
        for e in self.until(age):
            if e.kind == "hyper":
                hyper = dict(e.value)
            else:
                noise = e.value
        return hyper, noise
