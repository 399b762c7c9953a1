"""Every sentence the kit says to a student or an instructor, kept so that it
can be said in their language.

A sentence is made once, in English, from one literal template with named
placeholders: `say("{what} is n times too large: divide by n", what="grad_bias")`.
The Message keeps its template (the id a message catalogue translates) and its
values, so it can be rendered later in any language (the edition of the
student's notebook, the instructor's locale) and compared by id whatever the
language. Values that are prose are Messages themselves; code names and
numbers are plain values. Entry point: `say(template, **values)`.
"""


class Message(str):
    """A sentence: str() is its English text; .template and .values say what it is."""

    template: str
    values: dict

    def __new__(cls, template, **values):
        message = super().__new__(cls, template.format(**values))
        message.template, message.values = template, values
        return message

    def __reduce__(self):  # pickled across processes (a class graded on every core) as what it is
        return _rebuild, (self.template, self.values)

    @property
    def ids(self):
        """The templates of this message and of every message in its values, outermost first."""
        found = [self.template]
        for value in self.values.values():
            if isinstance(value, Message):
                found += value.ids
        return found

    def render(self, translate=None):
        """The text, with every template (this one and those of the values) passed through
        `translate` (template -> template in another language); English without one."""
        if translate is None:
            return str(self)
        values = {name: value.render(translate) if isinstance(value, Message) else value
                  for name, value in self.values.items()}
        return translate(self.template).format(**values)


def _rebuild(template, values):
    return Message(template, **values)


def say(template, **values):
    """The Message for a literal template and its values (a catalogue's extractor finds `say("...")`)."""
    return Message(template, **values)
