"""Texts the window shows in the user's language, marked where the engine states them.

The engine never imports Qt, so it cannot translate: it marks a text with
``QT_TRANSLATE_NOOP(context, text)`` — the name Qt's ``lupdate`` looks for, which files the
text for translators under ``context`` — and the window translates it when it shows it
(``gui.support.i18n.shown``). Everywhere else a marked text is the plain English string it
is.
"""

from __future__ import annotations


class Msg(str):
    """An English text that knows the context its translation is filed under."""

    __slots__ = ("context",)

    def __new__(cls, context: str, text: str):
        self = super().__new__(cls, text)
        self.context = context
        return self

    def __reduce__(self):  # pickles (and copies) as itself, context included
        return (Msg, (self.context, str(self)))


def QT_TRANSLATE_NOOP(context: str, text: str) -> Msg:  # noqa: N802 (Qt's name: lupdate finds it)
    """Mark ``text`` for translation under ``context``; returns it as a :class:`Msg`."""
    return Msg(context, text)


class Filled(str):
    """A text with placeholders ``%1``, ``%2`` … filled in: the English string it makes, with
    its ``template`` (a :class:`Msg`, or a plain str that is not translated) and ``args``
    (numbers as text, or texts that are themselves marked) kept, so that the window can
    translate the template and each argument, then fill it again (``shown``)."""

    __slots__ = ("args", "template")

    def __new__(cls, template: str, *args):
        text = str(template)
        for i in range(len(args), 0, -1):  # from the highest number down: %1 never eats %10
            text = text.replace(f"%{i}", str(args[i - 1]))
        self = super().__new__(cls, text)
        self.template = template
        self.args = args
        return self

    def __reduce__(self):
        return (Filled, (self.template, *self.args))


class LocalText(str):
    """A text written in several languages (a scene's title, a lesson's caption): the
    string itself is the English one (else the first given), ``translations`` all of them,
    by language code ("en", "zh_CN")."""

    __slots__ = ("translations",)

    def __new__(cls, translations: dict[str, str]):
        if not translations:
            raise ValueError("a text in several languages needs at least one")
        self = super().__new__(cls, translations.get("en", next(iter(translations.values()))))
        self.translations = dict(translations)
        return self

    def __reduce__(self):
        return (LocalText, (self.translations,))

    def in_language(self, language: str) -> str:
        """The text in ``language``, else in English, else in the first language given."""
        return self.translations.get(language, str(self))
