"""The translations: the glossary's terms are used, every text is translated, and every text
the engine marks (QT_TRANSLATE_NOOP) has a finished translation in the engine's .ts."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"


def _packaging():
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _packaging()


def glossary() -> list[tuple[str, str]]:
    """(English term, Chinese term), longest English first."""
    terms = []
    for line in (TRANSLATIONS / "glossary.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, chinese = line.split("\t")[:2]
        terms.append((english.strip(), chinese.strip()))
    return sorted(terms, key=lambda t: -len(t[0]))


def term_pattern(term: str) -> re.Pattern:
    """The term as a whole word, any case, plural -s/-es, -ed or -ing allowed."""
    return re.compile(r"\b" + re.escape(term) + r"(?:s|es|ed|ing)?\b", re.IGNORECASE)


def required_terms(english: str, terms) -> list[tuple[str, str]]:
    """The glossary terms ``english`` contains. A term found only inside a longer term's
    occurrence ("minimum" in "local minimum") is the longer one's business."""
    taken = [False] * len(english)
    found = []
    for term, chinese in terms:  # longest first
        hit = False
        for m in term_pattern(term).finditer(english):
            if not any(taken[m.start():m.end()]):
                hit = True
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
        if hit:
            found.append((term, chinese))
    return found


def all_messages():
    for ts in sorted(TRANSLATIONS.glob("*/*.ts")):
        for m in tool.messages(ts):
            yield ts, m


def test_the_glossary_check_finds_terms_and_leaves_longer_ones_alone():
    terms = [("local minimum", "局部极小值"), ("learning rate", "学习率"), ("minimum", "最小值"),
             ("step", "步"), ("loss", "损失")]
    assert required_terms("Steps to the local minimum", terms) == [("local minimum", "局部极小值"),
                                                                   ("step", "步")]
    assert required_terms("Losses near the minimum; stepping", terms) == [("minimum", "最小值"),
                                                                           ("loss", "损失")]
    assert required_terms("stepwise lossy", terms) == []  # whole words only
    assert [t for t, _ in required_terms("LEARNING RATE", terms)] == ["learning rate"]


def test_translations_use_the_glossary_terms():
    terms = glossary()
    assert ("learning rate", "学习率") in terms and ("momentum", "动量") in terms
    wrong = []
    for ts, m in all_messages():
        if not m["finished"]:
            continue  # an unfinished text is test_every_text_is_translated's business
        for term, chinese in required_terms(m["source"], terms):
            for form in m["translations"]:
                if chinese not in form:
                    wrong.append(f"{ts.parent.name}/{ts.name} [{m['context']}] {m['source']!r}: "
                                 f"{term!r} → {chinese!r} missing in {form!r}")
    assert not wrong, "\n".join(wrong)


@pytest.fixture(scope="module")
def problems():
    return tool.problems()


@pytest.mark.parametrize("area", list(tool.AREAS))
def test_every_text_is_translated(problems, area):
    """lupdate finds no text missing from the area's .ts and none is unfinished. The compiled
    .qm is not checked: it is regenerated on merge (problems() reports it as stale)."""
    ts = tool.ts_path(tool.LANGUAGES[0], area).relative_to(ROOT).as_posix()
    found = [p for p in problems if p.startswith(ts)]
    assert not found, "\n".join(found)


def marked_engine_texts():
    """Every Msg the engine's catalogues hold (surfaces, optimizers, datasets, models, losses,
    schedules), found at run time: a text marked where lupdate cannot see it fails here."""
    from descentlab.engine.data.datasets import DATASETS
    from descentlab.engine.data.losses import LOSSES, SQUARED_LOG_NOTE
    from descentlab.engine.data.models import MODELS
    from descentlab.engine.optimizers import NAMES, get_optimizer
    from descentlab.engine.race.schedules import NAMES as SCHEDULES
    from descentlab.engine.surface.catalogue import SURFACES
    from descentlab.engine.translatable import Msg

    texts = [SQUARED_LOG_NOTE, *SCHEDULES.values()]
    for s in SURFACES.values():
        texts += [s.name, s.description]
    for key in NAMES:
        spec = get_optimizer(key)
        texts += [spec.name, *(h.doc for h in spec.hyper)]
    for d in DATASETS.values():
        texts += [d.name, d.description]
    for m in MODELS.values():
        texts += [m.name, m.description]
    texts += [loss.name for loss in LOSSES.values()]
    return [t for t in texts if isinstance(t, Msg)]


def test_every_marked_engine_text_has_a_finished_translation():
    texts = marked_engine_texts()
    assert len(texts) > 90  # the catalogues are marked, not just a few texts
    finished = {(m["context"], m["source"]): m for m in tool.messages(tool.ts_path("zh_CN", "engine"))
                if m["finished"]}
    missing = [f"[{t.context}] {t!r}" for t in texts if (t.context, str(t)) not in finished]
    assert not missing, "\n".join(missing)


def test_hyperparameter_docs_are_all_marked():
    """A hyperparameter's description is shown as a tooltip: none is left unmarked."""
    from descentlab.engine.optimizers import NAMES, get_optimizer
    from descentlab.engine.translatable import Msg

    plain = [f"{key}.{h.name}: {h.doc!r}" for key in NAMES for h in get_optimizer(key).hyper
             if h.doc and not isinstance(h.doc, Msg)]
    assert not plain, "\n".join(plain)
