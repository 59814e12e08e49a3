"""Claims on fixture articles written for each pattern: who said what, and how it was quoted."""

from datetime import date

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from flows.extract import frames
from flows.extract.claims import extract_claims
from flows.extract.context import ArticleContext
from flows.extract.people import group_people


def claims_of(ann):
    text = ann.article.text
    return [(text[c.start : c.end], c.speaker.name, c.quote_type) for c in extract_claims(ArticleContext.build(ann))]


def find(claims, words):
    hits = [c for c in claims if words in c[0]]
    assert hits, f"no claim containing {words!r} in {claims}"
    return hits[0]


def test_split_multi_sentence_and_continued_quotes(fixture_article):
    claims = claims_of(fixture_article("split-quote.txt"))
    assert find(claims, "The reforms")[1:] == ("Ilze Kalnina", "direct")
    # the second half of a quote split by "she said" is the same direct quote, same speaker
    assert find(claims, "will go on. Nobody in this cabinet")[1:] == ("Ilze Kalnina", "direct")
    assert find(claims, "We have listened")[1:] == ("Ilze Kalnina", "direct")
    # a quote after another, with no new cue, keeps the speaker
    assert find(claims, "Now it is time to decide")[1:] == ("Ilze Kalnina", "direct")
    assert find(claims, "a gift to the banks")[1:] == ("Juris Berzins", "partial")


def test_reported_speech_forms(fixture_article):
    claims = claims_of(fixture_article("reported-speech.txt"))
    assert find(claims, "Two men were arrested")[1:] == ("police", "indirect")  # "…, police said"
    assert find(claims, "the investigation would take several weeks")[1:] == ("Tomas Zukas", "indirect")  # said that
    assert find(claims, "the blaze destroyed")[1:] == ("fire service", "indirect")  # according to
    assert find(claims, "an independent inquiry")[1:] == ("Rasa Petraitis", "indirect")  # called for
    assert find(claims, "the owners would compensate")[1:] == ("government", "indirect")  # expressed the hope
    assert not any(c[0].startswith("VILNIUS") for c in claims)  # the dateline is never part of a claim


def test_scare_quotes_titles_and_broken_marks(fixture_article):
    claims = claims_of(fixture_article("scare-quotes.txt"))
    texts = [c[0] for c in claims]
    assert "governor" not in texts and "president" not in texts  # scare quotes around titles
    assert "The Free Coast" not in texts  # title of a work
    # the unclosed quote does not break the article; the claim is still found
    assert find(claims, "the gathering had been")[1] == "Marta Koval"
    assert find(claims, "he would speak again next week")[2] == "indirect"


def test_pronoun_speakers_resolve_to_the_last_person(annotate_text):
    ann = annotate_text(
        "Union leader Petra Lind walked out of the talks on Monday.\n\n"
        'She said the offer was an insult. "We will not sign this," she added.',
        date(2024, 5, 7),
    )
    claims = claims_of(ann)
    assert find(claims, "the offer was an insult")[1:] == ("Petra Lind", "indirect")
    assert find(claims, "We will not sign this")[1:] == ("Petra Lind", "direct")


def test_title_speakers_resolve_to_the_holder(annotate_text):
    ann = annotate_text(
        "Finance Minister Oskar Berg presented the budget on Monday. The minister said taxes would not rise.",
        date(2024, 5, 7),
    )
    assert find(claims_of(ann), "taxes would not rise")[1] == "Oskar Berg"


def test_cue_after_quote_with_inverted_speaker(annotate_text):
    ann = annotate_text("“We will stay out until the end,” said union leader Mihai Pop.", date(2024, 1, 18))
    assert find(claims_of(ann), "We will stay out")[1:] == ("Mihai Pop", "direct")


@pytest.mark.parametrize(
    "text",
    ['He said "unbalanced.', "“Nested “quotes” never close", '"" "" ""', "“”", "Plain text with no speech at all."],
)
def test_broken_quote_marks_never_raise(annotate_text, text):
    claims = claims_of(annotate_text(text, date(2024, 1, 1)))
    assert all(c[0].strip() for c in claims)


def test_non_person_speakers_are_typed(fixture_article):
    ann = fixture_article("protest.txt")
    speakers = {c.speaker.name: c.speaker for c in extract_claims(ArticleContext.build(ann))}
    assert speakers["health ministry"].type == "organization" and speakers["health ministry"].person is None
    assert speakers["Vakhtang Gomelauri"].type == "person"


def test_opinion_accusation_warning_and_demand_verbs(fixture_article):
    ann = fixture_article("diplomacy.txt")
    found = {ann.article.text[c.start : c.end]: c for c in extract_claims(ArticleContext.build(ann))}
    expected = {
        "the new pipeline to be a threat to European security": ("Poland", "country", "indirect"),  # considers X to be Y
        "the project is purely commercial": ("German government", "organization", "indirect"),  # insists that
        "Nobody is forcing anyone to buy our gas": ("Lena Vogt", "person", "direct"),  # speaker in apposition
        "Berlin of ignoring its neighbours": ("Adam Nowicki", "person", "indirect"),  # accused X of Y
        "Warsaw would take the matter to the European Court of Justice": ("Adam Nowicki", "person", "indirect"),  # he warned
        "a joint inquiry": ("Lithuania", "country", "indirect"),  # has called for
    }
    for text, (speaker, kind, quote_type) in expected.items():
        claim = found[text]
        assert (claim.speaker.name, claim.speaker.type, claim.quote_type) == (speaker, kind, quote_type), text
    assert found["Nobody is forcing anyone to buy our gas"].cue_text == "said"


def test_claim_dates_are_the_telling_and_never_after_publication(annotate_text):
    ann = annotate_text(
        "Mayor Ana Horvat told reporters on Monday that the line would open.\n\nOrganisers called for a march on Thursday.",
        date(2024, 6, 26),
    )
    claims = {ann.article.text[c.start : c.end]: c for c in extract_claims(ArticleContext.build(ann))}
    assert claims["the line would open"].date == date(2024, 6, 24)
    assert claims["a march on Thursday"].date is None


def test_british_style_single_quotes(annotate_text):
    ann = annotate_text(
        "‘We will not be deterred by lawyers,’ Mr Cleverly told the BBC. ‘The public wants this to work.’", date(2024, 3, 4)
    )
    claims = claims_of(ann)
    assert find(claims, "We will not be deterred")[2] == "direct"
    assert find(claims, "The public wants this to work")[2] == "direct"


def test_agency_dateline_is_not_part_of_the_speaker(annotate_text):
    ann = annotate_text(
        "WARSAW (Reuters) - Poland's Finance Minister Jan Kowalczyk on Wednesday defended the draft budget, "
        'saying the country could not afford to wait.\n\n"Security comes first," Kowalczyk told reporters.',
        date(2024, 10, 2),
    )
    claims = extract_claims(ArticleContext.build(ann))
    assert claims and all("Reuters" not in c.speaker.text for c in claims)
    assert {c.speaker.name for c in claims} == {"Jan Kowalczyk"}


def test_a_plural_title_is_not_the_one_holder_of_that_title(annotate_text):
    ann = annotate_text(
        "The chief prosecutor, Ilie Dragan, opened the case in May.\n\n"
        "Prosecutors said the former mayor had taken bribes from three firms.",
        date(2024, 6, 1),
    )
    claim = find(claims_of(ann), "had taken bribes")
    assert claim[1] != "Ilie Dragan" and claim[2] == "indirect"


def test_stacked_title_heads_are_one_title(annotate_text):
    ann = annotate_text('"Nobody is above the law," chief prosecutor Ilie Dragan said in a statement.', date(2024, 6, 1))
    (person,) = group_people(ann)
    assert person.titles == {"chief prosecutor"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Rosa Vidal alleged that the contract had been rigged.",
        "Rosa Vidal reiterated that talks would continue.",
        "Rosa Vidal posted on social media that the vote had been rigged.",
        "Rosa Vidal conceded that the plan had failed.",
        "Rosa Vidal emphasised that nobody was hurt.",
    ],
)
def test_more_reporting_verbs(annotate_text, sentence):
    claims = claims_of(annotate_text(sentence, date(2024, 5, 2)))
    assert [(c[1], c[2]) for c in claims] == [("Rosa Vidal", "indirect")]


def test_every_paragraph_of_a_multi_paragraph_quote_has_the_speaker(annotate_text):
    text = (
        "The mayor, Ana Lungu, spoke to residents on Tuesday.\n\n"
        '"We have waited too long for this bridge. Every winter the village is cut off.\n\n'
        '"Now the money is here and the work will start in spring," Lungu said.\n\n'
        "Residents welcomed the plan."
    )
    claims = claims_of(annotate_text(text, date(2024, 3, 5)))
    assert find(claims, "We have waited too long")[1:] == ("Ana Lungu", "direct")
    assert find(claims, "Now the money is here")[1:] == ("Ana Lungu", "direct")


def headline_claims(annotate_text, text, title=None):
    from flows.ingest import headline_end

    ann = annotate_text(text, date(2024, 3, 1))
    ann.article.headline_end = headline_end(ann.article.text, title)
    found = extract_claims(ArticleContext.build(ann))
    return [(ann.article.text[c.start : c.end], c.speaker.name, c.speaker.type, c.rule) for c in found]


def test_a_headline_source_before_a_colon_is_the_speaker(annotate_text):
    text = "Anton Maier: Port Talks Have Failed.\n\nPort director Anton Maier spoke to reporters on Monday."
    assert ("Port Talks Have Failed", "Anton Maier", "person", "headline:colon") in headline_claims(annotate_text, text)


def test_a_headline_cue_verb_is_found_by_its_form(annotate_text):
    text = "Union leader warns of a longer strike.\n\nPetra Lindqvist said the strike could last for weeks."
    claims = headline_claims(annotate_text, text, "Union leader warns of a longer strike")
    assert ("of a longer strike", "Union leader", "group", "headline:cue") in claims


def test_a_body_first_paragraph_gives_no_headline_claim(annotate_text):
    text = "The port director spoke on Monday: talks have failed.\n\nHe left the building."
    assert not [c for c in headline_claims(annotate_text, text) if c[3].startswith("headline:")]


def claim_rows(annotate_text, text):
    from flows.extract.rows import extract_article

    return extract_article(annotate_text(text, date(2024, 5, 2))).claims


def only(rows, words):
    found = [r for r in rows if words in r["claim_text"]]
    assert len(found) == 1, (words, [r["claim_text"] for r in rows])
    return found[0]


def test_a_quote_split_around_its_cue_is_one_claim_of_two_fragments(annotate_text):
    text = "“The new line,” the mayor, Ana Horvat, said, “will open in May.” “Nobody will pay more.”"
    rows = claim_rows(annotate_text, text)
    claim = only(rows, "will open in May")
    assert len(rows) == 1 and claim["speaker_name"] == "Ana Horvat"
    assert [text[a:b] for a, b in claim["fragments"]] == ["The new line", "will open in May.", "Nobody will pay more."]
    assert claim["claim_text"] == "The new line will open in May. Nobody will pay more."
    assert claim["quoted_spans"] == claim["fragments"]


@pytest.mark.parametrize(
    ("text", "speaker", "fragments"),
    [
        ("The new bridge, the mayor said on Monday, will open in May.", "mayor", ["The new bridge", "will open in May"]),
        # the parser makes "plan" a second subject of "said": the one who can speak says it, the other opens the claim
        ("The plan, said Ivo Lenz, would fail.", "Ivo Lenz", ["The plan", "would fail"]),
    ],
)
def test_a_parenthetical_cue_leaves_itself_out_of_the_claim(annotate_text, text, speaker, fragments):
    claim = only(claim_rows(annotate_text, text), fragments[-1])
    assert claim["claim_text"] == " ".join(fragments) and claim["speaker_name"] == speaker
    assert [text[a:b] for a, b in claim["fragments"]] == fragments


def test_a_mixed_quote_keeps_its_clause_and_marks_the_quoted_words(annotate_text):
    text = "Ivo Lenz said the budget was “a gift to the banks” and would fail."
    claim = only(claim_rows(annotate_text, text), "the budget")
    assert claim["quote_type"] == "partial" and claim["rule"] == "quote:mixed"
    assert [text[a:b] for a, b in claim["quoted_spans"]] == ["a gift to the banks"]


@pytest.mark.parametrize(
    ("text", "words", "family"),
    [
        ("The minister told reporters that the port would reopen.", "the port would reopen", "speech"),
        ("Most economists think the port will reopen.", "the port will reopen", "belief"),
        ("A survey published on Monday shows that most residents oppose the toll.", "most residents oppose the toll", "evidence"),
        ("The union wants to reopen talks with the port.", "to reopen talks", "intention"),
        ("The port appears to be closed for good.", "The port appears to be closed", "hedge"),
    ],
)
def test_every_claim_says_its_cue_family(annotate_text, text, words, family):
    assert only(claim_rows(annotate_text, text), words)["cue_family"] == family


def test_a_hedge_has_no_source_and_a_passive_with_by_has_one(annotate_text):
    rows = claim_rows(annotate_text, "The vote is expected to pass. The bridge is expected by engineers to reopen in May.")
    hedge = only(rows, "The vote is expected to pass")
    assert (hedge["speaker_name"], hedge["speaker_type"], hedge["rule"]) == (None, "none", "hedge:passive")
    expected = only(rows, "reopen in May")
    assert (expected["speaker_name"], expected["rule"]) == ("engineers", "indirect:passive")


def test_a_noun_cue_is_said_by_its_possessor(annotate_text):
    text = "Senator Ana Horvat spoke on Monday. Residents doubted Horvat's claim that the bridge was safe, and her plan to close it."
    rows = claim_rows(annotate_text, text)
    assert only(rows, "the bridge was safe")["speaker_name"] == "Ana Horvat"
    plan = only(rows, "to close it")
    assert (plan["speaker_name"], plan["cue_family"]) == ("Ana Horvat", "intention")


def test_nested_speech_gives_each_cue_its_own_speaker(annotate_text):
    rows = claim_rows(annotate_text, "Senator Ana Horvat said the governor had told her the bridge would close.")
    assert only(rows, "the governor had told her")["speaker_name"] == "Ana Horvat"
    assert [r["speaker_name"] for r in rows if r["claim_text"] == "the bridge would close"] == ["governor"]


def test_a_cue_inside_a_quotation_is_not_a_claim_of_its_own(annotate_text):
    rows = claim_rows(annotate_text, "“I think the bridge is safe and I know the engineers,” the mayor said.")
    assert [r["claim_text"] for r in rows] == ["I think the bridge is safe and I know the engineers"]


def test_a_relative_clause_cue_is_said_by_the_noun_it_belongs_to(annotate_text):
    rows = claim_rows(annotate_text, "Residents cheered Senator Ana Horvat, who said the bridge would reopen.")
    assert only(rows, "the bridge would reopen")["speaker_name"] == "Ana Horvat"


def test_a_survey_opening_the_sentence_is_its_source(annotate_text):
    rows = claim_rows(annotate_text, "In a survey released on Monday, most residents backed the new toll.")
    claim = only(rows, "most residents backed the new toll")
    assert (claim["speaker_text"], claim["cue_family"], claim["rule"]) == ("a survey", "evidence", "indirect:in-source")


def test_a_title_with_of_resolves_to_its_holder(annotate_text):
    text = "Former Secretary of State Ivo Lenz arrived on Monday. The former secretary of state said the plan was dead."
    assert only(claim_rows(annotate_text, text), "the plan was dead")["speaker_name"] == "Ivo Lenz"


def test_according_to_in_the_middle_leaves_itself_out(annotate_text):
    text = "The new bridge, according to the ministry, will open in May."
    claim = only(claim_rows(annotate_text, text), "will open in May")
    assert claim["claim_text"] == "The new bridge will open in May" and claim["speaker_name"] == "ministry"


def test_a_short_answer_with_its_cue_is_speech_not_a_title(annotate_text):
    rows = claim_rows(annotate_text, "Asked where the final would be played, the coach paused. “Lisbon,” he answered.")
    assert [r["claim_text"] for r in rows if r["rule"].startswith("quote")] == ["Lisbon"]
    assert not claim_rows(annotate_text, "Her new book, “The Long Road,” comes out in May.")


def test_a_poll_closing_the_sentence_is_its_source(annotate_text):
    rows = claim_rows(annotate_text, "The mayor leads her rival by six points in the latest poll. Prices rose in May.")
    claim = only(rows, "The mayor leads her rival")
    assert (claim["claim_text"], claim["speaker_name"], claim["cue_family"]) == (
        "The mayor leads her rival by six points",
        "latest poll",
        "evidence",
    )
    assert len(rows) == 1  # "in May" is no source


def test_a_question_put_to_people_by_nobody_named_has_an_unknown_asker(annotate_text):
    claim = only(claim_rows(annotate_text, "Voters were asked whether the bridge should reopen."), "whether the bridge")
    assert (claim["speaker_name"], claim["speaker_type"], claim["cue_family"]) == (None, "unknown", "speech")


def test_shares_of_people_speak_for_themselves(annotate_text):
    rows = claim_rows(annotate_text, "In the survey, 47% say the town should build the bridge, while 38% say it should not.")
    first, second = only(rows, "build the bridge"), only(rows, "it should not")
    assert (first["claim_text"], first["speaker_text"]) == ("the town should build the bridge", "47%")
    assert second["speaker_text"] == "38%"
    rows = claim_rows(annotate_text, "Most residents were worried about the toll, and more than 4 in 10 said the old ferry was better.")
    assert only(rows, "the old ferry was better")["speaker_text"] == "more than 4 in 10"


@pytest.mark.parametrize(
    ("text", "subject", "speaks"),
    [
        ("Half of them said no.", "Half", True),
        ("A majority of voters say no.", "majority", True),
        ("Twenty percent said no.", "percent", True),
        ("Half of the budget went to roads.", "Half", False),
        ("The bridge opened.", "bridge", False),
    ],
)
def test_a_share_of_people_is_a_possible_speaker(annotate_text, text, subject, speaks):
    from flows.extract import syntax

    doc = annotate_text(text).doc
    token = next(t for t in doc if t.text == subject)
    assert syntax.is_share_of_people(token) is speaks


def test_a_second_that_clause_stays_in_the_report_and_a_second_report_does_not(annotate_text):
    rows = claim_rows(
        annotate_text, "Ivo Lenz said that the deal had costs but that if the mayor signed it, she should have insisted on a vote."
    )
    assert only(rows, "the deal had costs")["claim_text"].endswith("she should have insisted on a vote")
    rows = claim_rows(annotate_text, "Most tenants said they were worried about the rent, and the landlord said the rent would not rise.")
    assert only(rows, "worried about the rent")["claim_text"] == "they were worried about the rent"


def test_the_small_models_misread_cue_words_are_fixed(annotate_text):
    doc = annotate_text("The union hopes that the strike ends soon. The plan seemed to work.").doc
    assert [t.lemma_ for t in doc if t.lower_ in {"hopes", "seemed"}] == ["hope", "seem"]
    rows = claim_rows(annotate_text, "The union hopes that the strike ends soon.")
    assert (only(rows, "the strike ends soon")["speaker_name"], only(rows, "the strike ends soon")["cue_family"]) == ("union", "belief")


@pytest.mark.parametrize(
    ("quote", "said", "reports"),
    [
        ("“We want a new mayor now!”", "Ivo Lenz said on the radio.", "Ivo Lenz said that the count was close."),
        # after a full stop, only a sentence that says nothing else attributes the quote
        ("“We will appeal the ruling.”", "Ivo Lenz said.", "Ivo Lenz said the count was close."),
    ],
)
def test_a_sentence_the_parser_ends_a_quote_with_keeps_its_attribution(annotate_text, quote, said, reports):
    words = quote.strip("“”!.")
    claim = only(claim_rows(annotate_text, f"The hall was full.\n\n{quote} {said}"), words)
    assert (claim["speaker_name"], claim["rule"]) == ("Ivo Lenz", "quote:attribution-sentence")
    # a sentence that reports something of its own is no attribution of the quote before it
    rows = claim_rows(annotate_text, f"The hall was full.\n\n{quote} {reports}")
    assert all(r["speaker_name"] is None for r in rows if words in r["claim_text"])


@pytest.mark.parametrize(
    ("text", "content", "speaker", "family"),
    [
        ("The mayor is confident that the bridge will open in May.", "the bridge will open in May", "mayor", "belief"),
        ("The union was eager to resume the talks.", "to resume the talks", "union", "intention"),
        ("Ivo Lenz made it clear that he would not run again.", "he would not run again", "Ivo Lenz", "belief"),
        ("Most residents are worried about the new rent rules.", "the new rent rules", "Most residents", "belief"),
    ],
)
def test_a_cue_adjective_holds_its_clause(annotate_text, text, content, speaker, family):
    claim = only(claim_rows(annotate_text, text), content)
    assert (claim["claim_text"], claim["speaker_name"], claim["cue_family"], claim["rule"]) == (
        content,
        speaker,
        family,
        "indirect:adjective",
    )


def test_a_cue_adjective_needs_a_holder(annotate_text):
    # "it is clear that …" names no holder: not the adjective cue's claim, a hedge with no source
    rows = claim_rows(annotate_text, "It is clear that the bridge will open in May.")
    assert [(r["rule"], r["speaker_type"]) for r in rows] == [("hedge:impersonal", "none")]
    assert not claim_rows(annotate_text, "The bridge was ready to open in May.")


def test_a_wish_inside_a_report_is_part_of_it(annotate_text):
    rows = claim_rows(annotate_text, "Ana Horvat said she hopes the new bridge will open in May.")
    assert [r["claim_text"] for r in rows] == ["she hopes the new bridge will open in May"]
    rows = claim_rows(annotate_text, "Ana Horvat hopes the new bridge will open in May.")
    assert only(rows, "the new bridge will open")["cue_family"] == "belief"  # on its own, a belief is a claim


def test_called_on_to_act(annotate_text):
    claim = only(claim_rows(annotate_text, "The union called on the owners to reopen the factory before winter."), "owners")
    assert (claim["claim_text"], claim["rule"]) == ("the owners to reopen the factory before winter", "indirect:on")
    assert not claim_rows(annotate_text, "The mayor called on Monday.")


def test_a_clause_the_parser_misreads_is_still_the_report(annotate_text):
    # the parse of "he said widening it could bring ferries" as the small model sometimes gives it: the gerund an xcomp
    words = ["He", "said", "widening", "it", "could", "bring", "ferries", "."]
    heads, deps = [1, 1, 1, 5, 5, 2, 5, 1], ["nsubj", "ROOT", "xcomp", "nsubj", "aux", "ccomp", "dobj", "punct"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, tags=["PRP", "VBD", "VBG", "PRP", "MD", "VB", "NNS", "."])
    assert frames.clause_frame(doc[1]).text == "widening it could bring ferries"
    rows = claim_rows(annotate_text, "Most tenants said the rent was too high; a third said the landlord was fair.")
    assert only(rows, "the landlord was fair")["speaker_text"] == "a third"
    assert only(rows, "the rent was too high")["claim_text"] == "the rent was too high"


def test_as_the_source_noted(annotate_text):
    claim = only(claim_rows(annotate_text, "As the weekly bulletin reported, the choir sold every ticket for the spring concert."), "choir")
    assert (claim["claim_text"], claim["speaker_name"], claim["rule"]) == (
        "the choir sold every ticket for the spring concert",
        "weekly bulletin",
        "indirect:parenthetical",
    )
    # "as" in time: what she noted is her own clause, not the sentence around it
    rows = claim_rows(annotate_text, "The coach laughed as he explained how tired the players were.")
    assert not any(r["claim_text"].startswith("The coach laughed") for r in rows)


def test_a_quote_is_its_speakers_even_when_a_hedge_inside_spans_it(annotate_text):
    claim = only(claim_rows(annotate_text, "“The figures seem wrong,” said Ivo Lenz, a clerk."), "The figures seem")
    assert (claim["speaker_name"], claim["cue_family"]) == ("Ivo Lenz", "speech")


def test_a_speakers_name_labelling_a_paragraph(annotate_text):
    text = (
        "The panel met on Monday.\n\nAna Horvat: The bridge will reopen in May, and nobody will pay more.\n\n"
        "Ivo Lenz: “We will not sign this deal at all.”\n\nThe result: a long delay for everyone who drives.\n\n"
        "Lenz: Back to square one."
    )
    rows = claim_rows(annotate_text, text)
    said = only(rows, "The bridge will reopen")
    assert (said["speaker_text"], said["rule"], said["claim_text"]) == (
        "Ana Horvat",
        "indirect:label",
        "The bridge will reopen in May, and nobody will pay more.",
    )
    quoted = only(rows, "We will not sign")
    assert (quoted["speaker_name"], quoted["rule"], quoted["quote_type"]) == ("Ivo Lenz", "quote:label", "direct")
    assert not any("long delay" in r["claim_text"] or "square one" in r["claim_text"] for r in rows)  # no speaker, a heading


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The senator implied that the mayor had lied.", "the mayor had lied"),
        ("Ivo Lenz maintained that the vote was fair.", "the vote was fair"),
        ("The court ordered the city to pay the workers.", "the city to pay the workers"),
        ("Ana Horvat learned that the plant would close.", "the plant would close"),
        ("The mayor remembered that the bridge had been closed before.", "the bridge had been closed before"),
    ],
)
def test_more_cue_verbs_report_their_clause(annotate_text, text, content):
    assert only(claim_rows(annotate_text, text), content)["claim_text"] == content


def test_a_report_in_a_relative_clause(annotate_text):
    rows = claim_rows(annotate_text, "Ivo Lenz criticised the new tolls, which he said would drive shoppers away.")
    assert only(rows, "would drive shoppers away")["speaker_name"] == "Ivo Lenz"


def test_the_agent_of_a_passive_question_asks_it(annotate_text):
    claim = only(claim_rows(annotate_text, "Ivo Lenz was asked by the host whether he would run again."), "whether he would run")
    assert (claim["speaker_name"], claim["rule"]) == ("host", "indirect:wh")


def test_telling_how(annotate_text):
    claim = only(claim_rows(annotate_text, "Ana Horvat told the pupils how the old mill had worked."), "the old mill")
    assert claim["claim_text"] == "how the old mill had worked"


def test_a_refusal_is_still_an_intention_but_unsaid_speech_is_no_claim(annotate_text):
    claim = only(claim_rows(annotate_text, "Ivo Lenz does not want to run for mayor again."), "to run for mayor again")
    assert claim["cue_family"] == "intention"
    assert not claim_rows(annotate_text, "Ivo Lenz did not say whether he would run for mayor again.")


def test_making_the_case(annotate_text):
    assert (
        only(claim_rows(annotate_text, "The senator made the case that the toll was unfair."), "toll")["claim_text"]
        == "the toll was unfair"
    )
    assert only(claim_rows(annotate_text, "Ivo Lenz made the case for a new bridge."), "bridge")["claim_text"] == "a new bridge"
    assert not claim_rows(annotate_text, "The mayor made a decision on Monday.")


def test_a_video_or_interview_is_where_someone_spoke_a_poll_speaks_itself(annotate_text):
    claim = only(
        claim_rows(annotate_text, "In a video posted on Monday, Ana Horvat criticized the toll and asked for a vote."), "criticized"
    )
    assert claim["speaker_name"] == "Ana Horvat"
    claim = only(claim_rows(annotate_text, "In a survey released on Monday, most voters backed the plan."), "most voters")
    assert claim["speaker_text"] == "a survey"


def test_a_quoted_label_is_no_claim_but_a_short_utterance_is(annotate_text):
    rows = claim_rows(annotate_text, "Ivo Lenz, whom critics call “reckless,” spoke on Monday.")
    assert not any(r["claim_text"] == "reckless" for r in rows)
    rows = claim_rows(annotate_text, "“Not again!” she yelled at the mayor.")
    assert only(rows, "Not again")["quote_type"] in {"direct", "partial"}


def test_the_agent_of_a_passive_decision_is_no_speaker_for_the_pronouns_after_it(annotate_text):
    text = (
        "In a decree, President Ivo Lenz cancelled the vote, which had been decided by his predecessor, Oskar Berg.\n\n"
        "He also stressed “the need for calm in every town of the region”."
    )
    assert only(claim_rows(annotate_text, text), "the need for calm")["speaker_name"] == "Ivo Lenz"


def test_a_claim_that_opens_a_quotation_closes_it(annotate_text):
    claim = only(claim_rows(annotate_text, "The mayor called the plan “a farce.”"), "farce")
    assert claim["claim_text"].count("“") == claim["claim_text"].count("”") == 1


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("The council voted to close the old bridge.", "to close the old bridge", "council"),
        ("The party is looking to raise more money from donors.", "to raise more money from donors", "party"),
        ("The panel recommended that the bridge be closed.", "the bridge be closed", "panel"),
        (
            "Many residents stayed home in the hope that the council would close the road.",
            "the council would close the road",
            "Many residents",
        ),
        ("The union struck in a bid to win higher pay.", "to win higher pay", "union"),
        ("Most tenants are worried about the new rent rules.", "the new rent rules", "Most tenants"),
    ],
)
def test_intentions_hopes_and_worries_of_groups(annotate_text, text, content, speaker):
    claim = only(claim_rows(annotate_text, text), content)
    assert (claim["claim_text"], claim["speaker_name"]) == (content, speaker)


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("The union issued a statement saying the strike would go on.", "the strike would go on", "union"),
        ("Ana Horvat's office put out a statement saying the road would reopen.", "the road would reopen", "Ana Horvat's office"),
    ],
)
def test_who_issues_a_statement_speaks_through_it(annotate_text, text, content, speaker):
    claim = only(claim_rows(annotate_text, text), content)
    assert (claim["claim_text"], claim["speaker_name"]) == (content, speaker)


def test_an_aside_on_the_topic_is_the_writers(annotate_text):
    rows = claim_rows(annotate_text, "The mayor pointed to the new bridge, which opened in May, as proof.")
    assert only(rows, "the new bridge")["claim_text"] == "the new bridge"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Ana Horvat described the new harbour plan.", "the new harbour plan"),
        ("The senator questioned the timing of the vote.", "the timing of the vote"),
        ("Ivo Lenz recalled his first campaign.", "his first campaign"),
        ("The mayor touted the new tram line.", "the new tram line"),
        ("The council discussed the budget.", "the budget"),
    ],
)
def test_verbs_that_report_what_they_name_keep_their_object(annotate_text, text, content):
    claim = only(claim_rows(annotate_text, text), content)
    assert (claim["claim_text"], claim["rule"]) == (content, "indirect:object")


@pytest.mark.parametrize(
    ("text", "content", "speaker", "rule"),
    [
        ("Ana Horvat released a video that accuses the mayor of lying.", "the mayor of lying", "Ana Horvat", "speaker:issuer"),
        ("Marko Dorn added a caption which reads “we will win”.", "we will win", "Marko Dorn", "speaker:issuer"),
    ],
)
def test_a_document_that_speaks_is_its_issuers_voice(annotate_text, text, content, speaker, rule):
    claim = only(claim_rows(annotate_text, text), content)
    assert (claim["speaker_name"], claim["speaker_rule"]) == (speaker, rule)


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        # the parser reads the speaker after an inverted cue as its object
        ("The strike went on. “The port is ours,” added a dock worker from the north harbour.", "The port is ours", "dock worker"),
        # the cue sits on a preposition of the verb with the subject
        ("Marko Dorn, the union leader, began by saying: “We have waited long enough.”", "We have waited long enough", "Marko Dorn"),
        # an active cue coordinated with a passive verb: the passive's subject speaks
        ("Ana Horvat was joined on stage by the mayor and joked, “Nobody brought a map.”", "Nobody brought a map", "Ana Horvat"),
        # a cue coordinated inside reported content whose subject cannot speak: the outer cue's speaker
        ("Ivo Lenz said the decision was made by the board and said, “Who can trust them now?”", "Who can trust them now", "Ivo Lenz"),
    ],
)
def test_the_speaker_of_a_cue_without_a_subject_of_its_own(annotate_text, text, content, speaker):
    claim = only(claim_rows(annotate_text, text), content)
    assert speaker in claim["speaker_name"]


def test_supporters_chanting_are_the_speakers_of_their_chant(annotate_text):
    rows = claim_rows(annotate_text, "The first clash involved supporters of the mayor shouting “close the port!” outside the hall.")
    assert only(rows, "close the port")["speaker_name"].startswith("supporters")


def _parsed(rows: list[tuple[str, str, str, str, int, str]], text: str):
    """An annotated article from a parse written out by hand: (word, tag, pos, dep, head, entity) rows."""
    from flows.annotate import AnnotatedArticle
    from flows.article import Article

    words, at, spaces = [r[0] for r in rows], 0, []
    for word in words:
        at = text.index(word, at) + len(word)
        spaces.append(text[at : at + 1] == " ")
    ents = [("B-" if e and (i == 0 or rows[i - 1][5] != e) else "I-") + e if e else "O" for i, (*_, e) in enumerate(rows)]
    doc = Doc(
        Vocab(),
        words=words,
        spaces=spaces,
        tags=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        deps=[r[3] for r in rows],
        heads=[r[4] for r in rows],
        lemmas=["say" if w == "said" else w.lower() for w in words],
        ents=ents,
    )
    assert doc.text == text
    return AnnotatedArticle(Article(source_path="t.txt", text=text), doc)


def test_a_name_inside_a_split_quote_never_hides_the_speaker_outside_it():
    # the parse the small model sometimes gives: the quoted name is a second subject of "said"
    text = "“I admire Senator Ivo Lenz,” Dorn said, “and I back him.”"
    rows = [
        ("“", "``", "PUNCT", "punct", 9, ""),
        ("I", "PRP", "PRON", "nsubj", 2, ""),
        ("admire", "VBP", "VERB", "ccomp", 9, ""),
        ("Senator", "NNP", "PROPN", "compound", 5, ""),
        ("Ivo", "NNP", "PROPN", "compound", 5, "PERSON"),
        ("Lenz", "NNP", "PROPN", "nsubj", 9, "PERSON"),
        (",", ",", "PUNCT", "punct", 5, ""),
        ("”", "''", "PUNCT", "punct", 5, ""),
        ("Dorn", "NNP", "PROPN", "nsubj", 9, "PERSON"),
        ("said", "VBD", "VERB", "ROOT", 9, ""),
        (",", ",", "PUNCT", "punct", 9, ""),
        ("“", "``", "PUNCT", "punct", 9, ""),
        ("and", "CC", "CCONJ", "cc", 14, ""),
        ("I", "PRP", "PRON", "nsubj", 14, ""),
        ("back", "VBP", "VERB", "ccomp", 9, ""),
        ("him", "PRP", "PRON", "dobj", 14, ""),
        (".", ".", "PUNCT", "punct", 9, ""),
        ("”", "''", "PUNCT", "punct", 9, ""),
    ]
    ann = _parsed(rows, text)
    claims = extract_claims(ArticleContext.build(ann))
    assert [(text[c.start : c.end], c.speaker.name, c.rule) for c in claims] == [
        ("I admire Senator Ivo Lenz,” Dorn said, “and I back him.", "Dorn", "quote:split")
    ]


def test_a_passive_verb_that_is_no_cue_hands_its_subject_to_the_speech_it_governs(annotate_text):
    text = (
        "The debate was calm.\n\n"
        'Marko Dorn was prompted to say, "Honestly, I never expected the hall to be this quiet."\n\n'
        "Ana Horvat was quoted as saying that the budget would pass."
    )
    rows = claim_rows(annotate_text, text)
    assert only(rows, "this quiet")["speaker_name"] == "Marko Dorn"
    assert (only(rows, "the budget would pass")["speaker_name"], only(rows, "the budget would pass")["claim_text"]) == (
        "Ana Horvat",
        "the budget would pass",
    )
    # a passive that is a cue of its own keeps the speech unsaid: she was asked to explain, and may not have
    rows = claim_rows(annotate_text, "Ana Horvat was asked to explain why the bridge closed.")
    assert not any(r["speaker_name"] == "Ana Horvat" for r in rows)


def test_a_poll_named_with_a_time_phrase_or_on_the_object_is_the_source(annotate_text):
    rows = claim_rows(annotate_text, "In a Valley Courier survey this spring, Ivo Lenz held an eight-point edge over the mayor.")
    claim = only(rows, "eight-point edge")
    assert (claim["claim_text"], claim["speaker_text"], claim["rule"]) == (
        "Ivo Lenz held an eight-point edge over the mayor",
        "a Valley Courier survey",
        "indirect:in-source",
    )
    claim = only(claim_rows(annotate_text, "Ana Horvat holds a narrow edge in the newest polls before the runoff."), "narrow edge")
    assert (claim["claim_text"], claim["speaker_text"]) == ("Ana Horvat holds a narrow edge", "the newest polls")


def test_hedges_without_a_verb_have_no_source(annotate_text):
    claim = only(claim_rows(annotate_text, "The ferry company is reportedly selling two of its boats."), "ferry")
    assert (claim["speaker_type"], claim["cue_family"], claim["cue"]) == ("none", "hedge", "reportedly")
    # a hedging adverb on a cue verb is the verb's report: the speaker stays
    claim = only(claim_rows(annotate_text, "Ivo Lenz reportedly said the ferry would be sold."), "ferry")
    assert (claim["speaker_name"], claim["rule"]) == ("Ivo Lenz", "indirect:ccomp")
    # an adverb inside a relative clause hedges how a thing is named, not a statement
    assert not claim_rows(annotate_text, "The ferry he allegedly sank was raised on Monday.")
    claim = only(claim_rows(annotate_text, "It is unclear, however, whether the ferry will run."), "ferry")
    assert claim["claim_text"] == "whether the ferry will run"
    claim = only(claim_rows(annotate_text, "It is unclear if the ferry will run this winter."), "ferry")
    assert (claim["claim_text"], claim["speaker_type"]) == ("if the ferry will run this winter", "none")
    # a person who is clear holds the view: the adjective cue's, not a hedge
    claim = only(claim_rows(annotate_text, "The mayor is clear that the ferry will run this winter."), "ferry")
    assert (claim["speaker_text"], claim["rule"]) == ("The mayor", "indirect:adjective")


def test_whose_view_a_sentence_opens_with(annotate_text):
    claim = only(claim_rows(annotate_text, "In Ivo Lenz's view, the council should have acted sooner."), "acted sooner")
    assert (claim["claim_text"], claim["speaker_name"], claim["cue_family"]) == (
        "the council should have acted sooner",
        "Ivo Lenz",
        "belief",
    )
    claim = only(claim_rows(annotate_text, "In the view of the union, the offer was an insult."), "insult")
    assert claim["speaker_text"] == "the union"
    claim = only(claim_rows(annotate_text, "For Ana Horvat, the vote was a turning point."), "turning point")
    assert (claim["speaker_name"], claim["rule"]) == ("Ana Horvat", "indirect:perspective")
    # time, things and a bare "for them" are nobody's view ("for" needs a person or a share of people)
    texts = (
        "For years, the ferry ran at a loss.",
        "For it, the council paid too much.",
        "In the town's centre, the market was busy.",
        "For one, the ferry is slow.",
    )
    for text in (*texts, "For them, the ferry is slow."):
        assert not any(r["rule"] == "indirect:perspective" for r in claim_rows(annotate_text, text)), text


def test_would_like_to_is_an_intention(annotate_text):
    claim = only(claim_rows(annotate_text, "Both council factions would like to merge the two water boards."), "merge")
    assert (claim["claim_text"], claim["speaker_text"], claim["cue_family"]) == (
        "to merge the two water boards",
        "Both council factions",
        "intention",
    )


def test_a_pronoun_with_no_subject_to_refer_to_takes_the_last_person_named(annotate_text):
    text = "The plant reopened on Monday.\n\nThe crowd cheered for Ivo Lenz at the gate. “The mood here is calm,” he said."
    claim = only(claim_rows(annotate_text, text), "calm")
    assert (claim["speaker_name"], claim["speaker_rule"]) == ("Ivo Lenz", "speaker:pronoun-mention")
    # of the other gender, the name is no referent: the pronoun stays unresolved
    text = "The plant reopened on Monday.\n\nReporters asked Ana Horvat about the vote. “The mood here is calm,” he said."
    claim = only(claim_rows(annotate_text, text), "calm")
    assert (claim["speaker_name"], claim["speaker_rule"]) == (None, "speaker:pronoun-unresolved")


def test_a_that_clause_the_parser_hangs_on_a_phrase_is_still_what_was_said(annotate_text):
    text = "The race tightened.\n\nIvo Lenz told reporters on Tuesday at a press briefing that he would delay the vote until spring."
    claim = only(claim_rows(annotate_text, text), "delay the vote")
    assert (claim["claim_text"], claim["speaker_name"], claim["rule"]) == (
        "he would delay the vote until spring",
        "Ivo Lenz",
        "indirect:ccomp",
    )
    # a relative clause on the phrase is not: "that" is its pronoun, not a conjunction
    assert not any("attended" in r["claim_text"] for r in claim_rows(annotate_text, "Ivo Lenz spoke at a conference that he attended."))


def test_seeing_and_hearing_report_only_a_that_clause(annotate_text):
    claim = only(claim_rows(annotate_text, "The mayor heard that the plant would close."), "plant")
    assert (claim["claim_text"], claim["speaker_text"], claim["cue_family"]) == ("the plant would close", "The mayor", "belief")
    assert not claim_rows(annotate_text, "The voters saw him leave the hall.")


def test_made_clear_that_and_a_case_made_to_an_audience(annotate_text):
    claim = only(claim_rows(annotate_text, "The fishermen made clear that they would accept a lower quota."), "quota")
    assert (claim["claim_text"], claim["speaker_text"]) == ("they would accept a lower quota", "The fishermen")
    text = "The race tightened.\n\nIvo Lenz is making a passionate case to a crowd of fishermen that the harbour needs dredging."
    claim = only(claim_rows(annotate_text, text), "dredging")
    assert (claim["claim_text"], claim["speaker_name"], claim["rule"]) == ("the harbour needs dredging", "Ivo Lenz", "indirect:case")


def test_a_cue_noun_as_the_object_of_a_cue_verb_is_the_subjects(annotate_text):
    claim = only(claim_rows(annotate_text, "The shipping firm announced plans on Friday to buy a smaller carrier."), "carrier")
    assert (claim["claim_text"], claim["speaker_text"], claim["cue_family"]) == (
        "to buy a smaller carrier",
        "The shipping firm",
        "intention",
    )
    # a noun object is a stance the events table takes, not a claim; "claim to" is what the claimant says of itself
    assert not claim_rows(annotate_text, "The union supports the mayor.")
    claim = only(claim_rows(annotate_text, "Three aldermen claim to speak for the fishing crews."), "fishing crews")
    assert (claim["claim_text"], claim["cue_family"]) == ("to speak for the fishing crews", "speech")


@pytest.mark.parametrize(
    ("text", "content", "family"),
    [
        ("Ana Horvat was declared the winner of the county vote.", "Ana Horvat was declared the winner of the county vote", "hedge"),
        (
            "The new radio series is meant to draw farmers and students alike.",
            "The new radio series is meant to draw farmers and students alike",
            "hedge",
        ),
        ("The mayor's budget sounds sensible to most shopkeepers.", "The mayor's budget sounds sensible to most shopkeepers", "hedge"),
        ("Ivo Lenz is known to favour a new toll on the bridge.", "Ivo Lenz is known to favour a new toll on the bridge", "hedge"),
        ("The union encouraged its members to stay home on Friday.", "its members to stay home on Friday", "speech"),
    ],
)
def test_sourceless_passives_and_hedges_of_the_lexicon(annotate_text, text, content, family):
    claim = only(claim_rows(annotate_text, text), content)
    assert (claim["claim_text"], claim["cue_family"]) == (content, family)
    assert (claim["speaker_type"] == "none") == (family == "hedge")


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("Critics charged that the count was rigged.", "the count was rigged", "Critics"),
        ("The mayor proclaimed that the bridge would open in May.", "the bridge would open in May", "The mayor"),
        ("The auditor deemed the invoices personal.", "the invoices personal", "The auditor"),
        ("The union rejected the mayor's idea that the depot should close.", "the depot should close", "the mayor's"),
        ("Residents of the valley repeated their complaint that the buses were late.", "the buses were late", "their"),
    ],
)
def test_more_cue_verbs_and_nouns_of_the_lexicon(annotate_text, text, content, speaker):
    claim = only(claim_rows(annotate_text, text), content)
    assert (claim["claim_text"], claim["speaker_text"]) == (content, speaker)
    assert claim["speaker_name"] is not None  # "their" stands for the residents


def test_charging_someone_with_a_crime_is_no_claim(annotate_text):
    assert not claim_rows(annotate_text, "The court charged the driver with fraud.")


def test_agentless_passive_speech_has_no_source_and_an_agent_speaks(annotate_text):
    for text in ("The mayor is said to favour a new toll.", "Residents were told that the water was safe."):
        claim = only(claim_rows(annotate_text, text), text.rstrip(".").split()[-1])
        assert (claim["claim_text"], claim["speaker_type"], claim["rule"]) == (text.rstrip("."), "none", "hedge:passive")
    claim = only(claim_rows(annotate_text, "She was told by the mayor that the plant would close."), "plant")
    assert (claim["claim_text"].removeprefix("that "), claim["speaker_name"]) == ("the plant would close", "mayor")
    assert not claim_rows(annotate_text, "Not much was said about the budget.")


def test_a_participle_hung_on_the_recipient_is_said_by_the_sender(annotate_text):
    rows = claim_rows(annotate_text, "The mayor sent a letter to the residents of the town saying the vote was rigged.")
    assert only(rows, "the vote was rigged")["speaker_name"] == "mayor"


def test_i_inside_a_quotation_is_the_quotations_speaker(annotate_text):
    text = "“The port will stay open, and I want the council to wait until the union meets” before any vote, Ana Horvat said."
    claim = only(claim_rows(annotate_text, text), "before any vote")
    assert (claim["speaker_name"], claim["speaker_text"], claim["speaker_rule"]) == ("Ana Horvat", "I", "speaker:quoting")
    # an "I" in no attributed quotation stays unresolved
    claim = only(claim_rows(annotate_text, "I want the council to wait until the union meets."), "the council to wait")
    assert (claim["speaker_name"], claim["speaker_rule"]) == (None, "speaker:pronoun-unresolved")


def test_hes_said_is_has_said_not_a_passive_hedge(annotate_text):
    claim = only(claim_rows(annotate_text, "Ivo Lenz spoke on Monday. He's said he will fight to the end."), "he will fight")
    assert (claim["claim_text"], claim["speaker_text"], claim["cue_family"]) == ("he will fight to the end", "He", "speech")
    claim = only(claim_rows(annotate_text, "Ana Horvat is said to be ill."), "to be ill")
    assert (claim["speaker_type"], claim["rule"]) == ("none", "hedge:passive")
