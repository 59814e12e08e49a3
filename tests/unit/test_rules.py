"""Every named rule fires on an example of its own, and switching it off takes away what it wrote.

One example per rule (written for these tests): the text, the value the rule writes and the words
of the row it writes it on (a mention, a claim or its speaker, an event trigger). With the rule on,
that row carries that value; with `NEWSLEDGER_WITHOUT_RULES` naming it, it does not. A rule added
without an example here fails `test_every_rule_has_an_example`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from flows import rules
from flows.extract.rows import extract_article

PUBLISHED = date(2024, 3, 15)  # a Friday


@dataclass(frozen=True)
class Example:
    text: str
    value: str | None  # None: the rule drops the span
    words: str  # the row's words: mention text, claim text, speaker text or trigger
    headline: bool = False  # the text's first paragraph is a headline
    drops: str = "(mention)"  # what a rule that drops a span drops: a mention, an "(event)" or a "(claim)"


EXAMPLES = {
    "repair:edges": Example("Chairwoman Ana Horvat's team won the cup.", "repair:edges", "Ana Horvat"),
    "repair:company-context": Example("Shares of Lenz fell on Monday, Ana Horvat said.", "repair:company-context", "Lenz"),
    "repair:product-context": Example("Acme unveiled Kestrel on Monday, Ivo Lenz said.", "repair:product-context", "Kestrel"),
    "repair:determiner": Example("The Zenbook sold well, Ivo Lenz said.", "repair:determiner", "Zenbook"),
    "repair:kind-noun": Example("Electronics retailer Vanbrook said on Monday that sales rose.", "repair:kind-noun", "Vanbrook"),
    "repair:city-country": Example("Ivo Lenz flew from Toulouse in France on Tuesday.", "repair:city-country", "Toulouse"),
    "repair:org-first-word": Example(
        "The fund sold its stake to Halvorsen Capital Management on Monday. Halvorsen said it would keep the plant.",
        "repair:org-first-word",
        "Halvorsen",
    ),
    "repair:headline-case": Example(
        "Lenz Endorses Horvat For Mayor\n\nIvo Lenz endorsed Ana Horvat for mayor on Monday.", "repair:headline-case", "Lenz", headline=True
    ),
    "repair:fragments": Example("Lenz v. Lenz was decided on Monday by the court, Ivo Lenz said.", "repair:fragments", "Lenz"),
    "repair:name-particle": Example(
        "European Commission President Ursula von der Leyen said on Thursday that a deal was close.",
        "repair:name-particle",
        "Ursula von der Leyen",
    ),
    "repair:named-after": Example(
        "Protesters gathered on Martin Luther King Jr. Boulevard on Monday, said Maria Lopez, a resident.",
        "repair:named-after",
        "Martin Luther King Jr. Boulevard",
    ),
    "repair:lowercase": Example("Strikers shouted slogans of solidarity and brotherhood on Monday.", None, "solidarity"),
    "repair:gazetteer": Example(
        "In Islamabad, Imran Khan said the vote had been rigged. Luhansk was quiet, residents said.", "repair:gazetteer", "Luhansk"
    ),
    "repair:honorific": Example("Mr. Park said the plan would work.", "repair:honorific", "Park"),
    "repair:surname": Example("The union leader Pavel Orlov spoke on Monday. Orlov's speech drew applause.", "repair:surname", "Orlov"),
    "repair:full-name": Example(
        "Fans bought posters of Dolores Hartwell on Friday. Mila Kos said Hartwell had agreed.", "repair:full-name", "Dolores Hartwell"
    ),
    "repair:given-name": Example(
        "Mr. Zurab Chkheidze met London Mayor Sadiq Khan in Tbilisi on Monday.", "repair:given-name", "Sadiq Khan"
    ),
    "repair:bare-surname": Example(
        "Opposition leader Marko Petrović called for early elections on Friday.\n\nPetrović said the government had lost its majority.",
        "repair:bare-surname",
        "Petrović",
    ),
    "repair:evidence": Example(
        "Ana Horvat, the finance minister, said on Monday that the talks had failed.", "repair:evidence", "Ana Horvat"
    ),
    "repair:acronym": Example(
        "The International Criminal Court (ICC) issued a warrant on Friday. The ICC said the suspect had fled.", "repair:acronym", "ICC"
    ),
    "absolute": Example("The plan dates from August 2008.", "absolute:month", "August 2008"),
    "offset:context": Example("Rebels attacked a convoy on Monday. Two days later, troops shelled the port.", "offset:context", "shelled"),
    "deictic": Example("The mayor spoke today about the budget.", "deictic:today", "today"),
    "weekday": Example("The council met on Tuesday.", "weekday:past", "Tuesday"),
    "month-day": Example("The vote was on Wednesday, March 13.", "month-day:weekday", "Wednesday, March 13"),
    "month": Example("Prices rose in May.", "month:last", "May"),
    "quarter": Example("The brewer lost money in the fourth quarter of 2022.", "quarter:year", "the fourth quarter of 2022"),
    "relative": Example("Sales fell last week.", "relative:last-week", "last week"),
    "offset:ago": Example("Three weeks ago the bridge closed.", "offset:ago", "Three weeks ago"),
    "speaker:pronoun": Example("Ana Horvat, the finance minister, spoke on Monday. “We will appeal,” she said.", "speaker:pronoun", "she"),
    "speaker:group-pronoun": Example(
        "Most residents oppose the toll. They said on Monday that the bridge was too expensive.", "speaker:group-pronoun", "They"
    ),
    "speaker:reporting-claim": Example(
        "Ana Horvat said that after the repairs the new bridge seemed to be safe.", "speaker:reporting-claim", "Ana Horvat"
    ),
    "speaker:quoting": Example(
        "“We hope the council will listen,” Ana Horvat said. “I expect the vote to be close” when the council meets in May.",
        "speaker:quoting",
        "I",
    ),
    "speaker:issuer": Example("Ana Horvat released a video that accuses the mayor of lying.", "speaker:issuer", "Ana Horvat"),
    "speaker:relative": Example("Residents cheered the senator, who said the bridge would reopen.", "speaker:relative", "who"),
    "speaker:pronoun-unresolved": Example("“The reforms will go on,” she said.", "speaker:pronoun-unresolved", "she"),
    "speaker:apposition": Example(
        "The spokesman, Ivo Lenz, said on Monday that the port was closed.", "speaker:apposition", "The spokesman, Ivo Lenz"
    ),
    "speaker:title": Example(
        "The minister, Ana Horvat, arrived on Monday. The minister said the port would reopen.", "speaker:title", "The minister"
    ),
    "speaker:subject": Example("Imran Khan said the vote had been rigged.", "speaker:subject", "Imran Khan"),
    "quote:split": Example("“The reforms,” she said, “will go on.”", "quote:split", "The reforms will go on."),
    "quote:attribution-sentence": Example(
        "The hall was full.\n\n“We want a new mayor now!” Ivo Lenz said on the radio.",
        "quote:attribution-sentence",
        "We want a new mayor now!",
    ),
    "quote:label-words": Example("Ivo Lenz, whom critics call “reckless,” spoke on Monday.", None, "reckless", drops="(claim)"),
    "quote:attributed": Example("“We will appeal the ruling,” the lawyer said.", "quote:direct", "We will appeal the ruling"),
    "quote:mixed": Example(
        "Ivo Lenz said the plan was “dead on arrival” at the meeting.",
        "quote:mixed",
        "the plan was “dead on arrival” at the meeting",
    ),
    "indirect:frame": Example("Imran Khan said the vote had been rigged.", "indirect:ccomp", "the vote had been rigged"),
    "indirect:ccomp": Example("The mayor said the bridge would reopen in May.", "indirect:ccomp", "the bridge would reopen in May"),
    "indirect:parenthetical": Example(
        "The new bridge, the mayor said, will open in May.", "indirect:parenthetical", "The new bridge will open in May"
    ),
    "indirect:colon": Example(
        "The minister wrote on Monday:\n\nThe port will stay shut until May.", "indirect:colon", "The port will stay shut until May"
    ),
    "indirect:wh": Example("The reporter asked whether the bridge would reopen.", "indirect:wh", "whether the bridge would reopen"),
    "indirect:xcomp": Example("The mayor declined to comment on the closure.", "indirect:xcomp", "to comment on the closure"),
    "indirect:as": Example("Most residents see the new bridge as a waste of money.", "indirect:as", "the new bridge as a waste of money"),
    "indirect:naming": Example("The senator called the plan a disaster on Monday.", "indirect:naming", "the plan a disaster"),
    "indirect:object": Example("The minister accused the rebels of looting.", "indirect:object", "the rebels of looting"),
    "indirect:about": Example("The senator talked about the new bridge on Monday.", "indirect:about", "the new bridge"),
    "indirect:to": Example("The mayor pointed to the falling toll.", "indirect:to", "the falling toll"),
    "indirect:on": Example("The union called on the owners to reopen the factory.", "indirect:on", "the owners to reopen the factory"),
    "indirect:adjective": Example(
        "The mayor is confident that the bridge will open in May.", "indirect:adjective", "the bridge will open in May"
    ),
    "indirect:inside-report": Example(
        "Ana Horvat said she hopes the new bridge will open in May.", None, "the new bridge will open in May", drops="(claim)"
    ),
    "indirect:label": Example(
        "The panel met on Monday.\n\nAna Horvat: The bridge will reopen in May, and nobody will pay more.",
        "indirect:label",
        "The bridge will reopen in May, and nobody will pay more.",
    ),
    "indirect:case": Example("The senator made the case that the toll was unfair.", "indirect:case", "the toll was unfair"),
    "indirect:for": Example("The opposition called for an independent inquiry.", "indirect:for", "an independent inquiry"),
    "indirect:content-noun": Example(
        "The mayor expressed the hope that the bridge would reopen soon.", "indirect:content-noun", "the bridge would reopen soon"
    ),
    "hedge:clause": Example("The new bridge seems to be safe.", "hedge:clause", "The new bridge seems to be safe"),
    "hedge:passive": Example("The bridge is expected to reopen in May.", "hedge:passive", "The bridge is expected to reopen in May"),
    "speaker:pronoun-mention": Example(
        "The crowd cheered for Ivo Lenz on Monday. “The mood here is calm,” he said.", "speaker:pronoun-mention", "he"
    ),
    "indirect:that": Example("After the recount, the fishermen saw that the mayor could lose.", "indirect:that", "the mayor could lose"),
    "indirect:against": Example("The mayor warned against closing the old bridge.", "indirect:against", "closing the old bridge"),
    "indirect:gerund": Example(
        "Most aldermen support raising the harbour fee for yachts.", "indirect:gerund", "raising the harbour fee for yachts"
    ),
    "hedge:adverb": Example(
        "The ferry company is reportedly selling two of its boats.",
        "hedge:adverb",
        "The ferry company is reportedly selling two of its boats",
    ),
    "hedge:impersonal": Example(
        "It is not clear whether the bridge will reopen in May.", "hedge:impersonal", "whether the bridge will reopen in May"
    ),
    "indirect:perspective": Example(
        "In the mayor's view, the new rent is a betrayal.", "indirect:perspective", "the new rent is a betrayal"
    ),
    "indirect:outside-quotes": Example(
        "“The engineers told us the bridge is safe,” the mayor said.", None, "the bridge is safe", drops="(claim)"
    ),
    "indirect:unsaid": Example(
        "The mayor said the government would ask a court to suspend the strike.", None, "to suspend the strike", drops="(claim)"
    ),
    "indirect:noun": Example("Residents rejected the mayor's claim that the bridge was safe.", "indirect:noun", "the bridge was safe"),
    "indirect:in-source": Example(
        "In a survey released on Monday, most voters backed the plan.", "indirect:in-source", "most voters backed the plan"
    ),
    "indirect:according-to": Example(
        "According to the ministry, the army shelled the port on Monday.", "indirect:according-to", "the army shelled the port on Monday"
    ),
    "speaker:headline": Example(
        "Mayor: Bridge Will Close\n\nThe bridge will shut for repairs.", "speaker:headline", "Mayor", headline=True
    ),
    "headline:colon": Example(
        "Mayor: Bridge Will Close\n\nThe bridge will shut for repairs.", "headline:colon", "Bridge Will Close", headline=True
    ),
    "headline:cue": Example(
        "Union Vows Strike Will Go On\n\nThe strike at the port could last weeks.", "headline:cue", "Strike Will Go On", headline=True
    ),
    "quote:multi-paragraph": Example(
        "“We have done nothing wrong,\n\n“And we will prove it in court,” the lawyer, Ivo Lenz, said on Monday.",
        "quote:multi-paragraph",
        "We have done nothing wrong And we will prove it in court",
    ),
    "quote:after-colon": Example(
        "The union released a statement on Monday:\n\n“We will not give up.”", "quote:after-colon", "We will not give up."
    ),
    "quote:next-paragraph": Example(
        "“We will appeal,” Ana Horvat said.\n\n“And we will win.”\n\nThe court meets in May.",
        "quote:next-paragraph",
        "We will appeal And we will win.",
    ),
    "quote:continuation": Example(
        "“We will appeal,” Ana Horvat said. “It will not happen again.”", "quote:continuation", "We will appeal It will not happen again."
    ),
    "lead:published-date": Example("Troops shelled the port, officials said.", "lead:published-date", "shelled"),
    "lead:opening": Example(
        "Troops shelled the port on Monday, officials said.\n\nThe talks collapsed. Rebels attacked a convoy.", "lead:opening", "attacked"
    ),
    "context:previous-event": Example(
        "Troops shelled the port, officials said.\n\nRebels attacked a convoy on Monday. The attack lasted an hour.",
        "context:previous-event",
        "attack",
    ),
    "tense": Example("Troops shelled the port, officials said.\n\nThe ministry sells the land to farmers.", "tense:present", "sells"),
    "trigger:main-clause": Example(
        "Carmaker delays its new model\n\nThe carmaker said on Monday that buyers would wait until autumn.",
        "trigger:main-clause",
        "delays",
        headline=True,
    ),
    "bound:published": Example("Troops shelled the port, officials said.\n\nRebels had attacked a convoy.", "bound:published", "attacked"),
    "sense:topic": Example("Talks on a ceasefire stalled on Monday.", None, "ceasefire", drops="(event)"),
    "sense:idiom": Example("The minister came under fire over the budget on Monday.", None, "fire", drops="(event)"),
    "sense:light-verb": Example("The army launched an offensive on Monday.", None, "launched", drops="(event)"),
    "sense:speech-act": Example("The senator threatened to resign on Monday.", None, "threatened", drops="(event)"),
    "sense:after-verb": Example("The two sides exchanged fire on Monday.", "sense:after-verb", "fire"),
    "sense:modifier": Example("A gas explosion destroyed the factory on Monday.", "sense:modifier", "explosion"),
    "sense:weapon-fire": Example("Troops fired rockets at the town on Monday.", "sense:weapon-fire", "fired"),
    "sense:strike": Example("Warplanes struck the depot on Monday.", "sense:strike", "struck"),
    "sense:sink": Example("The ferry sank on Monday.", "sense:sink", "sank"),
    "sense:rally": Example("Stocks rallied on Monday.", "sense:rally", "rallied"),
    "sense:market": Example("Shares fell 3 percent on Monday.", "sense:market", "fell"),
    "sense:earnings": Example("The company posted a profit of $3 million on Monday.", "sense:earnings", "profit"),
    "sense:dismiss": Example("The president dismissed the minister on Monday.", "sense:dismiss", "dismissed"),
    "sense:launch": Example("The company launched a new phone on Monday.", "sense:launch", "launched"),
    "sense:verbal-conflict": Example("Smith's attacks on Jones grew sharper on Monday.", "sense:verbal-conflict", "attacks"),
    "sense:order": Example("The airline ordered 40 new aircraft on Monday.", "sense:order", "ordered"),
    "sense:file": Example("The retailer filed for bankruptcy on Monday.", "sense:file", "filed"),
    "sense:trade": Example("The carmaker sold 40,000 vehicles in May.", "sense:trade", "sold"),
    "sense:name": Example("The board named Ana Horvat as chief executive on Monday.", "sense:name", "named"),
    "sense:job-cuts": Example("The carmaker will cut 2,000 jobs next year.", "sense:job-cuts", "cut"),
    "sense:close": Example("Shares of the bank closed at $4.37 on Monday.", "sense:close", "closed"),
    "sense:court-rule": Example("The king ruled the region for decades.", None, "ruled", drops="(event)"),
    "trigger:lexicon": Example("Rebels attacked a convoy on Monday.", "trigger:lexicon", "attacked"),
    "place:seat-of-government": Example("The Kremlin said on Monday that talks would resume.", "place:seat-of-government", "Kremlin"),
    "place:capital-as-government": Example("Moscow denied the report on Monday.", "place:capital-as-government", "Moscow"),
    "place:demonym": Example("Georgian villages were shelled on Monday.", "place:demonym", "Georgian"),
    "place:qualified": Example("Voters lined up in Ames, Iowa, on Monday.", "place:qualified", "Ames"),
    "place:only": Example("Protesters marched in Warsaw on Monday.", "place:only", "Warsaw"),
    "place:context": Example("The governor of Illinois spoke in Springfield on Monday.", "place:context", "Springfield"),
    "place:population": Example("The summit in Paris ended on Monday.", "place:population", "Paris"),
}


def written(annotate_text, example: Example) -> set[tuple[str | None, str]]:
    """(value, words) of every rule value the article's rows carry."""
    rows = extract_article(annotate_text(example.text, PUBLISHED, headline=example.headline))
    found: set[tuple[str | None, str]] = set()
    for m in rows.mentions:
        found |= {(m["rule"], m["text"]), (m["date_rule"], m["text"]), (m["place_rule"], m["text"]), ("(mention)", m["text"])}
    for c in rows.claims:
        found |= {(c["rule"], c["claim_text"]), (c["speaker_rule"], c["speaker_text"]), ("(claim)", c["claim_text"])}
    for e in rows.events:
        found |= {(e["rule"], e["trigger"]), (e["date_rule"], e["trigger"]), ("(event)", e["trigger"])}
    return found


def test_every_rule_has_an_example():
    assert set(rules.registry()) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_rule_writes_its_value_and_switched_off_does_not(name, annotate_text, monkeypatch):
    example = EXAMPLES[name]
    registered = rules.registry()[name]
    wanted = (example.value, example.words) if example.value else (example.drops, example.words)
    if example.value:
        assert any(example.value == v or v.endswith(">") and example.value.startswith(v.split("<")[0]) for v in registered.values)
    with_rule = written(annotate_text, example)
    monkeypatch.setenv(rules.ENV, name)
    without = written(annotate_text, example)
    if example.value is None:  # a rule that drops a span: on, the span is gone; off, it stays
        assert wanted not in with_rule and wanted in without
    else:
        assert wanted in with_rule and wanted not in without


def test_an_unknown_rule_name_is_refused(monkeypatch):
    monkeypatch.setenv(rules.ENV, "")  # restored after the test: switch_off sets the variable
    with pytest.raises(ValueError, match="unknown rule quote:nonsense"):
        rules.switch_off(["quote:nonsense"])
    rules.switch_off(["quote:split", "speaker:title"])
    assert rules.switched_off() == {"quote:split", "speaker:title"}


def test_rows_made_without_a_rule_have_their_own_pipeline_version(monkeypatch):
    from flows.tables.archive import pipeline_version

    monkeypatch.delenv(rules.ENV, raising=False)
    everything = pipeline_version()
    monkeypatch.setenv(rules.ENV, "quote:split")
    assert pipeline_version() != everything
    monkeypatch.setenv(rules.ENV, "")
    assert pipeline_version() == everything


def test_the_codebook_lists_every_rule_with_its_phrase():
    from flows.tables.codebook import render

    codebook = render()
    for found in rules.registry().values():
        assert f"| `{found.name}` |" in codebook and found.summary.replace("|", "\\|") in codebook


def test_a_rule_needs_a_docstring():
    with pytest.raises(TypeError, match="docstring"):

        @rules.rule("test:undocumented", "nowhere.rule")
        def undocumented() -> None:
            pass
