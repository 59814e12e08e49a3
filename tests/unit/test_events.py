"""Events on news-like sentences written for these tests: trigger families, participants, the
main and background events, and who reports an event."""

from __future__ import annotations

from datetime import date

import pytest

from flows import lexicons
from flows.extract.rows import extract_article

PUBLISHED = date(2024, 3, 15)


def event_rows(annotate_text, text: str, headline: bool = False) -> list[dict]:
    return extract_article(annotate_text(text, PUBLISHED, headline=headline)).events


@pytest.mark.parametrize(
    ("text", "trigger", "kind"),
    [
        ("A car bomb exploded outside the ministry on Monday.", "car bomb", "EXPLOSION"),
        ("Militants detonated an IED near the convoy.", "detonated", "EXPLOSION"),
        ("Gunmen murdered the village chief.", "murdered", "KILL"),
        ("The journalist died in hospital on Tuesday.", "died", "DEATH"),
        ("Assailants stabbed two passers-by.", "stabbed", "STABBING"),
        ("Police shot a protester near the square.", "shot", "SHOOTING"),
        ("Artillery units shelled the suburbs.", "shelled", "SHELLING"),
        ("A drone strike hit the convoy.", "drone strike", "AIRSTRIKE"),
        ("Rebels kidnapped three aid workers.", "kidnapped", "ABDUCT"),
        ("Police arrested the mayor.", "arrested", "ARREST"),
        ("Two hundred fighters surrendered to the army.", "surrendered", "SURRENDER"),
        ("Rebels captured the town.", "captured", "SEIZE"),
        ("The government expelled two diplomats.", "expelled", "EXPEL"),
        ("Russia vetoed the resolution.", "vetoed", "VETO"),
        ("Lawmakers impeached the president.", "impeached", "IMPEACH"),
        ("The president appointed a new minister.", "appointed", "APPOINT"),
        ("The court convicted the former minister.", "convicted", "TRIAL"),
        ("Prosecutors indicted the mayor.", "indicted", "CHARGE"),
        ("Shares of the airline fell 5 percent.", "fell", "MARKET"),
        ("The bank reported a profit of $2 billion.", "profit", "EARNINGS"),
        ("The airline agreed to acquire its rival.", "acquire", "MERGER"),
        ("The carmaker will lay off 2,000 workers.", "lay off", "LAYOFF"),
        ("The retailer filed for bankruptcy.", "filed", "BANKRUPTCY"),
        ("Workers went on strike at the plant.", "strike", "PROTEST"),
        ("A suicide bomber blew himself up at a checkpoint.", "blew", "EXPLOSION"),
        ("A mob set fire to the police station.", "fire", "ASSAULT"),
        ("Rioters looted shops in the market.", "looted", "LOOT"),
    ],
)
def test_each_trigger_family_has_its_type(annotate_text, text, trigger, kind):
    assert (trigger, kind) in {(e["trigger"], e["event_type"]) for e in event_rows(annotate_text, text)}


def test_every_type_names_its_plover_root_and_the_codebook_prints_the_crosswalk():
    from flows.tables.codebook import event_types

    types = lexicons.load("events")["types"]
    assert all(spec.get("plover") for spec in types.values())
    table = event_types()
    assert "| `AIRSTRIKE` | ASSAULT | Explosions/Remote violence / Air/drone strike |" in table
    assert all(f"| `{name}` |" in table for name in types)


def test_rises_and_falls_are_markets_only_when_a_market_moves(annotate_text):
    assert [e["event_type"] for e in event_rows(annotate_text, "The Dow plunged on Monday.")] == ["MARKET"]
    assert [e["event_type"] for e in event_rows(annotate_text, "The surge in oil prices worried investors.")] == ["MARKET"]
    for text in [
        "Tensions rose in the capital.",
        "The death toll rose to 30.",
        "He rose to power quickly.",
        "The fall of the city came fast.",
        "The war sparked a surge of solidarity.",
    ]:
        assert not [e for e in event_rows(annotate_text, text) if e["event_type"] == "MARKET"], text


def test_fired_people_are_dismissed_and_words_are_not_traded(annotate_text):
    assert [e["event_type"] for e in event_rows(annotate_text, "The coach was fired on Monday.")] == ["RESIGN"]
    assert [e["event_type"] for e in event_rows(annotate_text, "A gun was fired near the school.")] == ["SHOOTING"]
    for text in ["Her children sold him on the plan.", "He tried to buy influence.", "She delivered a speech in Ohio."]:
        assert not [e for e in event_rows(annotate_text, text) if e["event_type"] == "TRADE"], text


def test_politics_attacks_are_criticism(annotate_text):
    (attacks,) = event_rows(annotate_text, "Smith's attacks were echoed by Democrats.")
    assert attacks["event_type"] == "CRITICIZE"


def test_a_participle_used_as_an_adjective_is_no_event(annotate_text):
    assert "occupied" not in [e["trigger"] for e in event_rows(annotate_text, "Few foreigners stayed in occupied Kuwait.")]


def test_each_row_carries_its_plover_and_acled_types(annotate_text):
    (row,) = event_rows(annotate_text, "A drone strike hit the convoy.")
    assert (row["plover_type"], row["acled_event_type"], row["acled_sub_event_type"]) == (
        "ASSAULT",
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    (market,) = event_rows(annotate_text, "Shares of the airline fell 5 percent.")
    assert (market["plover_type"], market["acled_event_type"]) == (None, None)


def test_a_clause_under_the_trigger_does_not_change_its_status(annotate_text):
    rows = {e["trigger"]: e for e in event_rows(annotate_text, "Teachers protested on Monday to demand higher pay.")}
    assert rows["protested"]["status"] == "occurred"  # the demand is the protest's aim, not a call for the protest
    (vow,) = event_rows(annotate_text, "Rebels vowed to attack the capital.")
    assert vow["status"] == "scheduled"


def test_a_killing_beside_an_attack_is_its_own_row_but_a_toll_is_a_count(annotate_text):
    kinds = {e["trigger"]: e for e in event_rows(annotate_text, "Gunmen attacked the village and killed the mayor.")}
    assert kinds["attacked"]["event_type"] == "ASSAULT" and kinds["killed"]["event_type"] == "KILL"
    toll = event_rows(annotate_text, "Troops shelled the town on Monday, killing 12 civilians.")
    assert [e["trigger"] for e in toll] == ["shelled"] and toll[0]["fatalities"] == 12


def test_a_toll_in_the_next_sentence_is_the_count_of_the_event_before(annotate_text):
    rows = event_rows(annotate_text, "A bomb exploded in the market on Monday. Twelve people were killed and 30 wounded.")
    assert [(e["trigger"], e["fatalities"], e["injured"]) for e in rows] == [("bomb", 12, 30)]


def test_two_events_of_one_type_with_other_words_and_people_are_two_rows(annotate_text):
    rows = event_rows(annotate_text, "Police arrested the mayor and detained his deputy.")
    assert [e["event_type"] for e in rows] == ["ARREST", "ARREST"]
    assert len(event_rows(annotate_text, "Police arrested the mayor, and arrested him again later.")) == 1


def test_actors_and_targets_come_from_names_and_group_nouns_with_their_type(annotate_text):
    (row,) = event_rows(annotate_text, "Rebels kidnapped three aid workers near Gao.")
    assert (row["actors"], row["actor_types"]) == (["Rebels"], ["group"])
    assert (row["targets"], row["target_types"]) == (["three aid workers"], ["group"])
    (shot,) = event_rows(annotate_text, "Police shot a protester.")
    assert shot["actor_types"] == ["organization"]


def test_a_speech_act_with_a_noun_object_is_an_event_with_targets(annotate_text):
    (accused, _shelling) = event_rows(annotate_text, "The ministry accused the rebels of shelling the town.")
    assert (accused["event_type"], accused["actors"], accused["targets"]) == ("ACCUSE", ["ministry"], ["rebels"])
    threat = event_rows(annotate_text, "The senator threatened to resign.")  # with a clause the threat is a claim
    assert [(e["trigger"], e["status"]) for e in threat] == [("resign", "scheduled")]  # and the resignation only a plan


def test_an_event_inside_a_claim_records_who_reports_it(annotate_text):
    rows = extract_article(annotate_text("Police said two people were killed in the blast.", PUBLISHED))
    (blast,) = rows.events
    (claim,) = rows.claims
    assert blast["reported_by"] == claim["speaker_name"] == "Police" and blast["claim_id"] == claim["claim_id"]
    (plain,) = event_rows(annotate_text, "Two people were killed in a blast on Monday.")
    assert plain["reported_by"] is None and plain["claim_id"] is None


def test_the_headline_event_is_the_main_event_and_there_is_one(annotate_text):
    rows = event_rows(annotate_text, "Rebels Seize Town\n\nRebels seized the town on Monday after a siege.", headline=True)
    main = [e for e in rows if e["is_main"]]
    assert len(main) == 1 and main[0]["trigger"] == "Seize" and main[0]["event_type"] == "SEIZE"
    assert main[0]["date_start"] == PUBLISHED  # the headline reports the news of its day
    lead = event_rows(annotate_text, "Troops shelled the port on Monday. Talks resumed later.")
    assert [e["trigger"] for e in lead if e["is_main"]] == ["shelled"]


def test_an_upcoming_election_named_by_its_day_resolves_forward(annotate_text):
    ann = annotate_text("Voters prepare for the Nov. 8 election.", date(2022, 9, 20))
    (election,) = extract_article(ann).events
    assert (election["date_start"], election["status"]) == (date(2022, 11, 8), "scheduled")
    ann = annotate_text("The Nov. 8 election was won by the mayor.", date(2023, 2, 1))
    assert extract_article(ann).events[0]["date_start"] == date(2022, 11, 8)


def test_a_date_of_a_clause_under_the_trigger_or_of_another_noun_does_not_date_it(annotate_text):
    rows = {e["trigger"]: e for e in event_rows(annotate_text, "The firm announced the end of a project begun two years ago.")}
    assert rows["announced"]["date_rule"] == "lead:published-date"
    (fell,) = event_rows(annotate_text, "Shares of the bank fell 2 percent from Monday's close.")
    assert fell["date_rule"] != "weekday:past"
    charged = {e["trigger"]: e for e in event_rows(annotate_text, "A neighbour was charged in the 1998 killing of a farmer.")}
    assert charged["charged"]["date_rule"] != "absolute:year" and charged["killing"]["date_start"] == date(1998, 1, 1)
    (call,) = event_rows(annotate_text, "The auditors on March 4 called for a new tender.")
    assert (call["event_type"], call["status"], call["date_start"]) == ("REQUEST", "occurred", date(2024, 3, 4))


def test_an_event_during_another_takes_its_date(annotate_text):
    rows = {e["trigger"]: e for e in event_rows(annotate_text, "Residents fled during clashes in January.")}
    assert rows["fled"]["date_start"] == date(2024, 1, 1) == rows["clashes"]["date_start"]


def test_a_clause_on_a_noun_event_dates_it(annotate_text):
    rows = {e["trigger"]: e for e in event_rows(annotate_text, "The mayor cancelled a referendum which was to be held on March 31.")}
    assert rows["referendum"]["date_start"] == date(2024, 3, 31)


def test_events_dated_years_before_the_article_are_background(annotate_text):
    rows = {e["trigger"]: e for e in event_rows(annotate_text, "The war of 2008 ended badly. Troops shelled the port on Monday.")}
    assert rows["war"]["is_background"] and not rows["shelled"]["is_background"]


def test_the_place_attached_to_the_trigger_wins_and_offices_are_not_places(annotate_text):
    (clashes, *_rest) = event_rows(annotate_text, "Clashes erupted in Tripoli after the President of France left.")
    assert clashes["place"] == "Tripoli"
    (visit,) = event_rows(annotate_text, "The President of France met rebels on Monday.")
    assert visit["place"] is None


def test_each_toll_goes_to_the_event_whose_clause_states_it(annotate_text):
    rows = event_rows(
        annotate_text,
        "Gunmen attacked a convoy near the border on Monday, killing three soldiers, and a bomb wounded five people in the capital.",
    )
    counts = {r["trigger"]: (r["fatalities"], r["injured"]) for r in rows}
    assert counts["attacked"] == (3, None)
    assert counts["bomb"] == (None, 5)


def test_present_and_present_perfect_reports_hold_at_or_just_before_the_published_date(annotate_text):
    text = (
        "Troops shelled the port, officials said.\n\nThe ministry sells the land to farmers. "
        "The bank has announced a merger. Rebels had attacked a convoy."
    )
    rows = {e["trigger"]: e for e in event_rows(annotate_text, text)}
    sells, announced, attacked = rows["sells"], rows["announced"], rows["attacked"]
    assert (sells["date_rule"], sells["date_start"], sells["date_end"]) == ("tense:present", PUBLISHED, PUBLISHED)
    assert announced["date_rule"] == "tense:perfect" and announced["date_precision"] == "week"
    assert (announced["date_start"], announced["date_end"]) == (date(2024, 3, 9), PUBLISHED)
    assert attacked["date_rule"] == "bound:published" and attacked["date_start"] is None
    conditional = event_rows(annotate_text, "Troops shelled the port, officials said.\n\nIf the ministry sells the land, farmers lose.")
    assert all(e["date_rule"] != "tense:present" for e in conditional)


def test_a_headline_or_lead_with_no_typed_event_gives_its_main_verb_as_an_untyped_main_event(annotate_text):
    rows = event_rows(
        annotate_text,
        "Carmaker delays its new model\n\nThe carmaker said on Monday that buyers would wait. The dealers renamed the showroom.",
        headline=True,
    )
    (main,) = [e for e in rows if e["is_main"]]
    assert (main["trigger"], main["event_type"], main["plover_type"], main["rule"]) == ("delays", "OCCURRENCE", None, "trigger:main-clause")
    assert main["date_start"] == PUBLISHED
    assert [e["trigger"] for e in rows] == ["delays"]  # the lead reports only a plan; a later sentence is not read for it
    typed = event_rows(annotate_text, "Rebels seize the town\n\nTroops shelled the port.", headline=True)
    assert "OCCURRENCE" not in {e["event_type"] for e in typed}
    assert event_rows(annotate_text, "The carmaker is in trouble\n\nBuyers would wait.", headline=True) == []
    (lead,) = event_rows(annotate_text, "The city council renamed the main square on Tuesday. The mayor smiled.")
    assert (lead["trigger"], lead["event_type"]) == ("renamed", "OCCURRENCE")


def test_an_undated_report_opening_the_story_falls_in_the_week_before_publication(annotate_text):
    text = (
        "Troops shelled the port on Monday, officials said.\n\nThe talks collapsed. Rebels attacked a convoy. "
        "Aid workers left. Gunmen kidnapped a driver."
    )
    rows = {e["trigger"]: e for e in event_rows(annotate_text, text)}
    attacked, kidnapped = rows["attacked"], rows["kidnapped"]
    assert (attacked["date_rule"], attacked["date_precision"]) == ("lead:opening", "week")
    assert (attacked["date_start"], attacked["date_end"]) == (date(2024, 3, 9), PUBLISHED)
    assert kidnapped["date_rule"] == "bound:published"  # further down the story: only the bound
