"""A lesson step's caption as the map draws it, in the current language: the step's title in
bold, then what it says; and its source (``cite``), drawn small under it. One place for the
player (gui/lessons/player.py) and the command line (gui/lessons/cli.py)."""

from __future__ import annotations

from descentlab.engine.files.lesson import LessonStep

from ..support.i18n import shown


def caption_of(step: LessonStep) -> tuple[str, str]:
    """``(text, cite)`` for ``step``: the text is "**title**" and the caption on lines of
    their own (either may be absent), the cite "" when the step names no source."""
    title = shown(step.title) if step.title else ""
    say = shown(step.say) if step.say else ""
    text = "\n".join(part for part in (f"**{title}**" if title else "", say) if part)
    return text, shown(step.cite) if step.cite else ""
