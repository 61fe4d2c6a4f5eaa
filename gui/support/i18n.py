"""The window's language: Qt's translators, chosen at start, switched live.

English is the source language; ``resources/translations`` holds the translations
(``descentlab_<lang>.qm``, compiled from the ``.ts`` files by ``packaging/translations.py``)
and Qt's own (``qt_<lang>.qm`` from PySide6: file dialogs, message-box buttons) is loaded
beside it. Texts are written in the code as:

- ``translate("Context", "text")`` where they are made each time they are shown (a status
  line, a caption): made again after a switch by the panels' ``retranslate`` hook;
- ``bind(widget.setText, QT_TRANSLATE_NOOP("Context", "text"))`` for a widget's fixed text
  (a menu entry, a button, a tooltip): set now and set again on every switch;
- ``QT_TRANSLATE_NOOP`` in tables and in the engine, which never imports Qt
  (``engine.translatable``), then ``shown(text)`` where the window shows them.

Placeholders are ``%1``, ``%2`` … (``fill``) and plural forms ``%n``
(``translate(ctx, "%n steps", "", k)``: the count by position and a plain name — lupdate
finds neither ``n=k`` nor ``r.steps``),
never f-strings inside a translated text: the translator moves the numbers where the
language puts them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QSettings, QTranslator, Signal
from shiboken6 import isValid

from descentlab.engine.translatable import QT_TRANSLATE_NOOP, Filled, LocalText, Msg

from .resources import resources_dir

__all__ = ["LANGUAGES", "QT_TRANSLATE_NOOP", "Msg", "bind", "current", "fill", "install",
           "language_changed", "set_language", "shown", "translate"]

# Each language the window speaks: its code and its name as its speakers write it.
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SETTINGS_KEY = "language"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def qt_translations_dir() -> Path:
    bundled = resources_dir().parent / "PySide6" / "Qt" / "translations"  # the frozen app's
    if bundled.is_dir():
        return bundled
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def language_for_locale(name: str) -> str:
    """The window's language for a system locale name ("zh_CN", "zh_TW", "en_US", …)."""
    return "zh_CN" if name.lower().startswith("zh") else "en"


def chosen_language(cli: str | None = None, settings: QSettings | None = None) -> str:
    """``--lang`` if given, else the one the user chose last, else the system locale's."""
    if cli:
        return cli
    saved = (settings or QSettings()).value(SETTINGS_KEY)
    if isinstance(saved, str) and saved in LANGUAGES:
        return saved
    return language_for_locale(os.environ.get("DESCENTLAB_LOCALE") or QLocale.system().name())


class _State(QObject):
    changed = Signal(str)

    def __init__(self):
        super().__init__()
        self.language = "en"
        self.translators: list[QTranslator] = []
        # (Qt object, setter name, text, args). The Python wrapper is held, not the object:
        # its parent owns it, and a binding whose object is gone is dropped.
        self.bindings: list[tuple] = []
        self.pruned_at = 0


_state: _State | None = None


def _the_state() -> _State:
    global _state
    if _state is None:
        _state = _State()
    return _state


def language_changed():
    """The signal emitted (with the language code) after a switch."""
    return _the_state().changed


def current() -> str:
    return _the_state().language if _state is not None else "en"


def install(language: str) -> None:
    """Load ``language``'s translators (and Qt's own), in place of the previous ones."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of: {', '.join(LANGUAGES)}")
    state = _the_state()
    app = QCoreApplication.instance()
    for old in state.translators:
        if app is not None:
            QCoreApplication.removeTranslator(old)
    state.translators = []
    if language != "en":
        # Qt's own: qt_<lang>.qm is a catalogue of catalogues that fails to load when one of
        # them is missing (PySide6-Essentials ships no qtmultimedia_*.qm): then qtbase's alone.
        for folder, names in ((translations_dir(), (f"descentlab_{language}",)),
                              (qt_translations_dir(), (f"qt_{language}", f"qtbase_{language}"))):
            translator = QTranslator(state)
            if any(translator.load(name, str(folder)) for name in names):
                state.translators.append(translator)
                if app is not None:
                    QCoreApplication.installTranslator(translator)
    state.language = language


def set_language(language: str, remember: bool = True) -> None:
    """Switch live: translators, every bound text, then ``language_changed`` for the rest."""
    install(language)
    if remember:
        QSettings().setValue(SETTINGS_KEY, language)
    _apply_bindings()
    _the_state().changed.emit(language)


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the current language (``%n`` replaced by ``n`` where given)."""
    state = _state
    if QCoreApplication.instance() is None and state is not None:  # the command line: no app yet
        for translator in state.translators:
            found = translator.translate(context, text, disambiguation, n)
            if found:
                return found.replace("%n", str(n)) if n >= 0 else found
        return text.replace("%n", str(n)) if n >= 0 else text
    return QCoreApplication.translate(context, text, disambiguation, n)


def shown(text) -> str:
    """A text in the current language: a marked one (``Msg``) translated, one written in
    several languages (``LocalText``, a scene's title) in this one, a filled one (``Filled``)
    filled again in this one; any other as it is."""
    if isinstance(text, Msg):
        return translate(text.context, str(text))
    if isinstance(text, LocalText):
        return text.in_language(current())
    if isinstance(text, Filled):  # an engine text with its numbers (and marked texts) filled in
        return fill(shown(text.template), *(shown(arg) for arg in text.args))
    return text


def fill(text: str, *args) -> str:
    """``text`` with ``%1``, ``%2`` … replaced by ``args`` (from the highest number down,
    so that %1 never eats the start of %10)."""
    for i in range(len(args), 0, -1):
        text = text.replace(f"%{i}", str(args[i - 1]))
    return text


def bind(setter, text, *args) -> None:
    """Call ``setter`` (a bound method of a Qt object: ``label.setText``) with ``text``
    translated and filled with ``args``, now and after every switch of language."""
    setter(fill(shown(text), *args))
    owner = getattr(setter, "__self__", None)
    if owner is None:
        return
    state = _the_state()
    state.bindings.append((owner, setter.__name__, text, args))
    if len(state.bindings) > 2 * state.pruned_at + 500:  # widgets made again and again
        _prune(state)


def _prune(state: _State) -> None:
    state.bindings = [b for b in state.bindings if isValid(b[0])]
    state.pruned_at = len(state.bindings)


def _apply_bindings() -> None:
    state = _the_state()
    _prune(state)
    for owner, name, text, args in state.bindings:
        getattr(owner, name)(fill(shown(text), *args))
