"""Every sentence the kit says to a student or an instructor, kept so that it
can be said in their language.

A sentence is made once, in English, from one literal template with named
placeholders: `say("{what} is n times too large: divide by n", what="grad_bias")`.
The Message keeps its template (the id a message catalogue translates) and its
values, so it can be rendered later in any language (the edition of the
student's notebook, the instructor's locale) and compared by id whatever the
language. Values that are prose are Messages themselves; code names and
numbers are plain values. Entry point: `say(template, **values)`;
`message.render("zh_CN")` says it in Chinese, `translated(report, language)`
every Message inside a result. The catalogues (gettext .po files, read with
Babel) are in catalogues/; `readers` chooses the language of each reader;
`records` keeps Messages through JSON; `extract` (a tool, never imported by
grading) finds the templates and the sentences not yet made with say().
"""
import dataclasses

ENGLISH = "en"


class Message(str):
    """A sentence: str() is its text (English unless rendered in another language);
    .template and .values say what it is, .language what it is written in."""

    template: str
    values: dict
    language: str

    def __new__(cls, template, **values):
        return cls._made(template, values, ENGLISH, template.format(**values))

    @classmethod
    def _made(cls, template, values, language, text):
        message = super().__new__(cls, text)
        message.template, message.values, message.language = template, values, language
        return message

    def __reduce__(self):  # pickled across processes (a class graded on every core) as what it is
        return _rebuild, (self.template, self.values, self.language, str(self))

    @property
    def ids(self):
        """The templates of this message and of every message in its values, outermost first."""
        found = [self.template]
        for value in self.values.values():
            if isinstance(value, Message):
                found += value.ids
        return found

    def render(self, language=None):
        """The same Message said in `language` (a language name such as "zh_CN", or a
        function template -> translated template); English for None, "en" or a
        template the catalogue does not translate. Its template and values stay the
        English ones, so it is still compared by id."""
        translate, name = _translator(language)
        values = {key: value.render(language) if isinstance(value, Message) else value
                  for key, value in self.values.items()}
        translation = translate(self.template) if translate else None
        if translation:
            try:
                return Message._made(self.template, self.values, name, translation.format(**values))
            except (KeyError, IndexError, ValueError):
                pass  # a broken translation (the catalogue tests catch it) must not lose the sentence
        return Message._made(self.template, self.values, ENGLISH, self.template.format(**values))


def _rebuild(template, values, language=ENGLISH, text=None):
    if text is None:
        return Message(template, **values)
    return Message._made(template, values, language, text)


def _translator(language):
    """(template -> translation or None, the language's name) for a name or a function."""
    if callable(language):
        return language, getattr(language, "__name__", "translated")
    if language is None or language == ENGLISH:
        return None, ENGLISH
    from . import catalogue  # only a reader of another language pays for reading a catalogue
    name = catalogue.known(language) or ENGLISH
    return catalogue.translations(name).get, name


def say(template, **values):
    """The Message for a literal template and its values (a catalogue's extractor finds `say("...")`)."""
    return Message(template, **values)


def translated(value, language):
    """`value` with every Message in it (in dataclasses, lists, tuples and dicts, as a
    Report holds them) rendered in `language`; everything else is kept as it is."""
    if isinstance(value, Message):
        return value.render(language)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {field.name: translated(getattr(value, field.name), language)
                   for field in dataclasses.fields(value) if field.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [translated(item, language) for item in value]
    if type(value) is tuple:
        return tuple(translated(item, language) for item in value)
    if isinstance(value, dict):
        return {key: translated(item, language) for key, item in value.items()}
    return value
