"""Messages kept as template and values, so that they can be said in another language."""
import pickle

from hypothesis import given, strategies as st

from autograder.language import Message, say


def test_a_message_reads_as_its_english_text():
    """Does a message read as the template filled with its values, wherever a str is expected?"""
    message = say("{what} is {factor} times too large", what="grad_bias", factor=31)
    assert message == "grad_bias is 31 times too large" and isinstance(message, str)
    assert message.template == "{what} is {factor} times too large" and message.values["factor"] == 31


def test_prose_values_are_rendered_in_the_same_language():
    """Is a message inside another one translated too, and are both templates its ids?"""
    inner = say("the loss")
    outer = say("{what} should be a single number", what=inner)
    french = {"the loss": "la perte", "{what} should be a single number": "{what} doit être un nombre"}
    assert outer.render(french.get) == "la perte doit être un nombre"
    assert outer.ids == ["{what} should be a single number", "the loss"]


@given(st.dictionaries(st.sampled_from(["what", "n", "name"]),
                       st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=20)), min_size=3))
def test_a_message_survives_being_sent_to_another_process(values):
    """Does a pickled message (a class is graded in other processes) come back with its template and values?"""
    message = Message("{what}: {n} and {name}", **values)
    back = pickle.loads(pickle.dumps(message))
    assert (back, back.template, back.values) == (message, message.template, message.values)
    assert isinstance(back, Message)
