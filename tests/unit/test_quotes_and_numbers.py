"""Quote pairing never raises and never crosses a paragraph; counts keep their bounds."""

from hypothesis import given
from hypothesis import strategies as st

from flows.extract.numbers import parse_count
from flows.extract.quotes import pair_quotes


def texts(text):
    return [q.text(text) for q in pair_quotes(text)]


def test_curly_and_straight_quotes_pair():
    assert texts('He said “we will win” and "they will lose".') == ["we will win", "they will lose"]


def test_trailing_comma_inside_the_marks_is_not_part_of_the_quote():
    assert texts("“We are going home,” he said.") == ["We are going home"]


def test_an_unclosed_quote_ends_with_its_paragraph():
    text = "She said “this never closes.\n\n“This one does,” he said."
    assert texts(text) == ["This one does"]


def test_a_second_opener_restarts_the_quote():
    assert texts("“broken “fixed” end") == ["fixed"]


def test_stray_closer_is_ignored():
    assert texts("a ” b “c” d") == ["c"]


@given(st.text(alphabet=st.sampled_from(list('ab “”"\n.,')), max_size=200))
def test_pairing_is_total_and_offsets_are_inside_the_text(text):
    for quote in pair_quotes(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert "\n\n" not in text[quote.start : quote.end]


def test_counts_with_bounds():
    assert parse_count("At least four") == (4, "min")
    assert parse_count("more than 700") == (700, "min")
    assert parse_count("About 1,200") == (1200, "approx")
    assert parse_count("tens of thousands") == (20000, "approx")
    assert parse_count("up to 30") == (30, "max")
    assert parse_count("two") == (2, "exact")
    assert parse_count("nobody") is None


def test_british_single_quotes_pair_but_apostrophes_do_not():
    text = "‘We don’t accept this,’ he said. The workers’ union said: “They shouted ‘traitor’ at us.” The army’s chief left."
    assert texts(text) == ["We don’t accept this", "They shouted ‘traitor’ at us."]


def test_a_quote_over_several_paragraphs_runs_on_until_its_closing_mark():
    text = "“First paragraph of the quote.\n\n“Second paragraph,” she said.\n\n“An unclosed mark.\n\nPlain prose."
    quotes = pair_quotes(text)
    assert [(q.text(text), q.runs_on) for q in quotes] == [("First paragraph of the quote.", True), ("Second paragraph", False)]


def test_two_apostrophes_are_a_double_quotation_mark():
    text = "''We will not back down,'' the mayor said. ''Never.'' The students' union agreed.\n\nShe said \"yes\"."
    assert [q.text(text) for q in pair_quotes(text)] == ["We will not back down", "Never.", "yes"]
