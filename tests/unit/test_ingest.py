"""Ingest: clean text, datelines, HTML main text, sidecars, and a reject row for every bad file."""

from datetime import date
from pathlib import Path

import pytest

from flows.dates import parse_dateline
from flows.ingest import RejectedInput, clean_text, decode, html, read_folder

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_clean_text_normalises_paragraphs_and_newlines():
    assert clean_text("\ufeffOne\r\nline.  \r\n\r\n\r\n\r\nTwo.\n\n") == "One\nline.\n\nTwo."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CHISINAU, Moldova, Oct. 5, 2023 — The commission", date(2023, 10, 5)),
        ("KUTAISI, Georgia, March 3, 2024 — Voters", date(2024, 3, 3)),
        ("LONDON (Reuters), 12 June 2021 - Shares", date(2021, 6, 12)),
        ("WASHINGTON, Sept. 30, 2020 -- Congress", date(2020, 9, 30)),
        ("WARSAW (Reuters) - Poland's finance minister", None),
        ("BUCHAREST, March 4 (Reuters) - A court", None),
        ("KYIV, Ukraine (AP) — Air raid sirens", None),
        ("NAIROBI, 3 May (AFP) - Floods", None),
    ],
)
def test_datelines(text, expected):
    """Datelines with a full date give it; agency datelines without a year still mark where the body starts."""
    found = parse_dateline(text)
    assert found is not None and found[0] == expected
    assert text[found[2] :].strip()[0].isupper()  # the body starts right after the dateline


def test_no_dateline_in_ordinary_prose():
    assert parse_dateline("In a decree, the president said on May 3, 2022 — nothing.") is None
    assert parse_dateline("NATO (the alliance) - a note") is None  # an all-caps word and a bracket is not enough
    assert parse_dateline("The UN (United Nations) - said") is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n ", "empty"), (b"\x89PNG\x00\x00", "binary"), (b"\x81\x8d\x8f\x90\x9d" * 10, "encoding")],
)
def test_decode_rejects_with_reason(data, reason):
    with pytest.raises(RejectedInput) as err:
        decode(data)
    assert err.value.reason == reason


def test_decode_accepts_utf8_with_bom():
    assert decode("Café".encode("utf-8-sig")) == ("Café", "utf-8")


def test_truncated_utf8_keeps_the_complete_text():
    data = "Officials in Tbilisi met on Monday. Café".encode()[:-1]  # cut inside "é"
    assert decode(data) == ("Officials in Tbilisi met on Monday. Caf", "utf-8 (truncated)")


def test_legacy_encodings_are_decoded_when_detection_is_confident():
    text = (
        "Café owners in the capital said on Monday that prices had risen sharply. “We cannot go on like this,” said "
        "José Martínez, who runs a small bakery near the river.\n\nThe ministry said the increase was temporary."
    )
    decoded, encoding = decode(text.encode("cp1252"))
    assert decoded == text and encoding != "utf-8"


def test_html_main_text_without_boilerplate():
    page = html.extract((FIXTURES / "articles" / "council.html").read_text())
    assert page.title == "Council approves tram line"
    assert page.published.startswith("2023-04-27")
    assert page.text.startswith("The city council approved")
    for boilerplate in ("City Desk", "Read more", "newsletter", "Home", "©", "dataLayer"):
        assert boilerplate not in page.text
    assert "\n\n" in page.text  # paragraphs kept apart


def test_html_with_no_text_is_unreadable():
    with pytest.raises(ValueError):
        html.extract("<html><body><script>x()</script></body></html>")


def test_folder_of_articles_reads_every_source_of_dates():
    articles, rejects = read_folder(FIXTURES / "articles")
    by_name = {a.source_path: a for a in articles}
    assert by_name["council.html"].published_date_source == "html"
    assert by_name["sidecar.txt"].published_date == date(2023, 3, 31)
    assert by_name["sidecar.txt"].published_date_source == "metadata"
    assert by_name["sidecar.txt"].title == "Farmers block highway"  # sidecar wins
    assert by_name["protest.txt"].published_date_source == "dateline"
    assert by_name["dateline-only.md"].title == "Harbour reopens after storm"
    assert by_name["anniversary.txt"].published_date == date(2022, 6, 3)  # the 100th day of the invasion
    assert by_name["anniversary.txt"].published_date_source == "inferred"
    assert not by_name["dateline-only.md"].text.startswith("#")
    assert rejects == []


def test_bad_inputs_become_rejects_and_good_ones_survive():
    articles, rejects = read_folder(FIXTURES / "bad")
    reasons = {(r.path, r.reason) for r in rejects}
    assert ("empty.txt", "empty") in reasons
    assert ("whitespace.txt", "empty") in reasons
    assert ("image.txt", "binary") in reasons
    assert ("latin1.txt", "encoding") in reasons
    assert ("report.pdf", "unsupported_type") in reasons
    assert ("orphan.meta.json", "sidecar_orphan") in reasons
    assert ("empty-page.html", "html_unreadable") in reasons
    assert ("good.meta.json", "sidecar_invalid") in reasons
    assert ("baddate.meta.json", "sidecar_invalid") in reasons
    assert all(r.detail for r in rejects)
    kept = {a.source_path: a for a in articles}
    assert set(kept) == {"good.txt", "baddate.txt", "cp1252.txt"}  # an invalid sidecar never costs the article
    assert kept["cp1252.txt"].source_encoding != "utf-8" and "José Martínez" in kept["cp1252.txt"].text
    assert kept["baddate.txt"].published_date is None
    assert kept["baddate.txt"].published_date_source == "none"


def test_duplicate_texts_become_one_article_with_both_paths(tmp_path):
    (tmp_path / "a.txt").write_text("Officials met on Monday.")
    (tmp_path / "b.txt").write_text("Officials met on Monday.\n")
    articles, rejects = read_folder(tmp_path)
    assert len(articles) == 1 and rejects == []
    assert articles[0].source_path == "a.txt" and articles[0].duplicate_paths == ["b.txt"]


def test_oversized_file_is_rejected(tmp_path, monkeypatch):
    import flows.ingest

    monkeypatch.setattr(flows.ingest, "MAX_BYTES", 10)
    (tmp_path / "long.txt").write_text("A sentence that is longer than ten bytes.")
    articles, rejects = read_folder(tmp_path)
    assert articles == [] and rejects[0].reason == "too_large"


def test_a_headline_line_becomes_the_title_and_stays_as_the_headline(tmp_path):
    (tmp_path / "storm.txt").write_text("Storm knocks out power across Halifax\n\nMore than 100,000 customers lost power.\n")
    (tmp_path / "lead.txt").write_text("Customers lost power on Saturday, the utility said.\n\nCrews worked overnight.\n")
    articles, _ = read_folder(tmp_path)
    by_name = {a.source_path: a for a in articles}
    storm = by_name["storm.txt"]
    assert storm.title == "Storm knocks out power across Halifax" and storm.text.startswith(storm.title)
    assert storm.headline_end == len(storm.title)
    assert by_name["lead.txt"].title is None and by_name["lead.txt"].text.startswith("Customers")


def test_a_text_written_one_paragraph_per_line_gets_its_paragraphs(tmp_path):
    lines = [
        "Storm knocks out power across the coast",
        "March 2, 2024",
        "More than 100,000 customers lost power on Saturday after the storm hit the coast.",
        "Crews worked through the night to restore the lines, the utility said.",
    ]
    (tmp_path / "a.txt").write_text("\n".join(lines) + "\n")
    wrapped = (
        "The council met on Monday and voted to close the old bridge for\n"
        "repairs that will take most of the year, the mayor said, and\n"
        "the ferry will run again.\n"
    )
    (tmp_path / "b.txt").write_text(wrapped)
    by_name = {a.source_path: a for a in read_folder(tmp_path)[0]}
    article = by_name["a.txt"]
    assert article.headline_end == len(lines[0]) and str(article.published_date) == "2024-03-02"
    assert article.text == "\n\n".join([lines[0], *lines[2:]])  # the date line leaves the text
    assert "\n\n" not in by_name["b.txt"].text  # hard-wrapped lines stay one paragraph


def test_navigation_lists_are_not_article_text():
    page = html.extract(
        '<html><body><div id="top-nav"><ul><li><a href="/">World</a></li></ul></div>'
        '<div><ul><li><a href="/a">Asia</a></li><li><a href="/e">Europe</a></li></ul>'
        "<p>Floods forced 20,000 people from their homes, officials said.</p></div></body></html>"
    )
    assert page.text == "Floods forced 20,000 people from their homes, officials said."


def test_the_headline_is_the_title_not_the_first_paragraph():
    page = html.extract(
        "<html><head><title>Budget row deepens | The Daily Ledger</title></head><body>"
        "<article><h1>Budget row deepens</h1><p>WARSAW (Reuters) - The minister defended the plan.</p></article></body></html>"
    )
    assert page.title == "Budget row deepens"  # the headline, without the site's name
    assert page.text.startswith("WARSAW (Reuters) -")  # so the dateline opens the body
    assert parse_dateline(page.text) is not None


def test_boilerplate_paragraphs_are_removed_and_kept_aside():
    from flows.ingest import strip_boilerplate

    news = [
        "By Tuesday, the rebels had fled the town.",
        "Subscribers to the service said prices rose.",
        "Copyright law was amended last year.",
        "Reporters were barred from the hearing, the union said.",
    ]
    furniture = [
        "By Jane Roe",
        "By a staff correspondent",
        "Reporting by John Doe; Editing by Ann Smith",
        "(Additional reporting by Tom Ray in Kyiv)",
        "Associated Press writers Mary Lee and Tom Ray contributed to this report.",
        "Sign up for our politics newsletter to get the latest news in your inbox.",
        "Copyright 2024 The Daily Ledger. All rights reserved.",
        "Related: Floods hit the north",
    ]
    text, removed = strip_boilerplate("\n\n".join(news[:2] + furniture[:4] + news[2:] + furniture[4:]))
    assert text == "\n\n".join(news)
    assert removed == furniture


def test_an_article_of_nothing_but_boilerplate_is_rejected(tmp_path):
    (tmp_path / "promo.txt").write_text("Sign up for our newsletter.\n\nCopyright 2024 Example News.\n", encoding="utf-8")
    articles, rejects = read_folder(tmp_path)
    assert not articles and [(r.reason, "boilerplate" in r.detail) for r in rejects] == [("no_text", True)]


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ("May 3, 2024", date(2024, 5, 3)),
        ("Published: 3 May 2024 10:00 GMT", date(2024, 5, 3)),
        ("Friday, May 3, 2024 at 9:15 a.m. ET", date(2024, 5, 3)),
        ("Updated 2024-05-04T10:00:00Z\n\nPublished 2024-05-03", date(2024, 5, 3)),
        ("By Jane Roe | March 3, 2024", date(2024, 3, 3)),
    ],
)
def test_a_date_line_at_the_top_gives_the_published_date_and_leaves_the_text(tmp_path, top, expected):
    body = "The harbour reopened on Friday after a storm, officials said."
    (tmp_path / "a.txt").write_text(f"Harbour reopens after storm\n\n{top}\n\n{body}\n", encoding="utf-8")
    (article,), _ = read_folder(tmp_path)
    assert (article.published_date, article.published_date_source) == (expected, "date_line")
    assert article.text == f"Harbour reopens after storm\n\n{body}" and article.removed_boilerplate  # the headline stays


def test_a_sentence_with_a_date_is_not_a_date_line(tmp_path):
    text = "Harbour reopens\n\nThe harbour closed on May 3, 2024.\n\nIt reopened a week later.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (article,), _ = read_folder(tmp_path)
    assert article.published_date_source != "date_line" and article.text.startswith("Harbour reopens\n\nThe harbour closed")


def test_markup_in_a_plain_text_article_is_stripped_and_its_text_kept(tmp_path):
    (tmp_path / "a.txt").write_text(
        'The minister posted: <post id="9" author="@minister" posted="2024-03-01">The bridge opens &amp; stays open\n</post>. '
        "Costs rose 3 < 4 percent, officials said.\n"
    )
    [article], _ = read_folder(tmp_path)
    assert "<post" not in article.text and "@minister" not in article.text
    assert "The bridge opens & stays open" in article.text and "3 < 4 percent" in article.text


def test_a_byline_line_leaves_the_body_after_a_single_newline(tmp_path):
    (tmp_path / "a.txt").write_text("By Jane Roe\nThe council voted on Monday to close the bridge.\n\nWork starts in May.\n")
    [article], _ = read_folder(tmp_path)
    assert article.text.startswith("The council voted on Monday") and article.removed_boilerplate == ["By Jane Roe"]


@pytest.mark.parametrize(
    ("first", "title", "is_headline"),
    [
        ("Senator Says Budget Vote Will Go Ahead.", None, True),  # Title Case, even with a final period
        ("Port strike to end, union says.", "Port strike to end, union says", True),  # the metadata's title
        ("The senator said the budget vote would go ahead on Monday.", None, False),  # a sentence of the body
    ],
)
def test_a_headline_kept_at_the_top_is_marked(tmp_path, first, title, is_headline):
    (tmp_path / "a.txt").write_text(f"{first}\n\nThe senator spoke to reporters in the capital.\n")
    if title:
        (tmp_path / "a.meta.json").write_text(f'{{"title": "{title}"}}')
    [article], _ = read_folder(tmp_path)
    assert article.text.startswith(first)  # kept: it is where headline claims and events are
    assert (article.headline_end == len(first)) is is_headline
    assert (article.title is not None) is is_headline


def test_a_long_line_of_news_that_ends_with_a_credit_is_kept(tmp_path):
    body = " ".join(["The council met on Monday and voted to close the old bridge for repairs."] * 6)
    (tmp_path / "a.txt").write_text(f"{body} --- Jane Roe in Riga contributed to this article.\n")
    [article], rejects = read_folder(tmp_path)
    assert not rejects and article.text.startswith("The council met") and article.removed_boilerplate == []
