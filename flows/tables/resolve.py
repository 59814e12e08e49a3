"""Resolve people across articles and give every row its person ids.

Matching is blocked: each person is filed under a key made from the
consonants of the transliteration-normalised surname ("Chkheidze" and
"Tchkheidze" → "chdz"), and only people in one block are compared. In a block,
full names join by the name rules of flows/names.py; then each bare surname
joins one full name (the one named beside its article's people, else a clearly
dominant one), and bare surnames that joined none join each other. Every join
is remembered with its evidence and confidence (`resolution_evidence`,
`resolution_confidence`). Cost grows with the size of blocks, not the square of
all names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from flows import names
from flows.article import content_id
from flows.extract.rows import ArticleRows
from flows.names import NameParts, name_parts, normalise_name, same_person_across_articles, surname_key

Row = dict[str, Any]


# A surname alone ("Horvat said") joins the full name of its block that holds at least this share of
# the mentions of all full names it could be: a clearly dominant one. Balanced namesakes stay apart.
DOMINANT_SHARE = 0.75
# How sure each kind of join is, for `resolution_confidence`: the lowest join of a person counts.
JOIN_CONFIDENCE = {"same name": 1.0, "name variant": 0.9}


@dataclass
class Clusters:
    """Union-find over per-article person records, remembering how each cluster was joined."""

    parent: list[int]
    joins: dict[int, dict[str, float]] = field(default_factory=dict)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int, evidence: str, confidence: float) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        self.parent[b] = a
        merged = self.joins.setdefault(a, {})
        for kind, sure in [*self.joins.pop(b, {}).items(), (evidence, confidence)]:
            merged[kind] = min(sure, merged.get(kind, 1.0))


def _weight(record: Row) -> int:
    return int(record.get("n_mentions") or 1)


def cluster_people(records: list[Row]) -> list[list[Row]]:
    """Group per-article person records into real people (`resolve_clusters` also says how each was joined)."""
    return [group for group, _ in resolve_clusters(records)]


def resolve_clusters(records: list[Row]) -> list[tuple[list[Row], dict[str, float]]]:
    """Per-article person records grouped into real people, each with the joins that made it
    (evidence → confidence). Blocked by surname key; full names first, then lone surnames."""
    clusters = Clusters(list(range(len(records))))
    parts = [name_parts(r["name"]) for r in records]
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(parts):
        blocks[surname_key(name.surname)].append(i)
    full = [[i for i in members if parts[i].given is not None] for members in blocks.values()]
    lone = [[i for i in members if parts[i].given is None] for members in blocks.values()]
    for members in full:
        _join_same_names(members, records, parts, clusters)
    company = _company(records, parts, clusters)
    for full_names, surnames in zip(full, lone, strict=True):
        _join_lone_surnames(full_names, surnames, records, parts, clusters, company)
    for surnames in lone:  # the surnames that joined no full name: one person per surname
        _join_same_names([i for i in surnames if clusters.find(i) == i or parts[clusters.find(i)].given is None], records, parts, clusters)
    groups: dict[int, list[Row]] = defaultdict(list)
    for i, record in enumerate(records):
        groups[clusters.find(i)].append(record)
    return [(group, clusters.joins.get(root, {})) for root, group in groups.items()]


def _join_same_names(members: list[int], records: list[Row], parts: list[NameParts], clusters: Clusters) -> None:
    """Join the records of one block that name one person (names.same_person_across_articles)."""
    for n, i in enumerate(members):
        for j in members[n + 1 :]:
            if clusters.find(i) != clusters.find(j) and same_person_across_articles(records[i], records[j], parts[i], parts[j]):
                same = normalise_name(records[i]["name"]) == normalise_name(records[j]["name"])
                evidence = "same name" if same else "name variant"
                clusters.join(i, j, evidence, JOIN_CONFIDENCE[evidence])


@dataclass(frozen=True)
class Company:
    """Who is named with whom: the full-name people of each article, and the articles of each person."""

    people_of_article: dict[str, set[int]]
    articles_of_person: dict[int, set[str]]

    def shared(self, article_id: str, person: int) -> bool:
        """Does the person appear elsewhere beside someone this article names?"""
        others = self.people_of_article.get(article_id, set()) - {person}
        return any(self.articles_of_person[person] & self.articles_of_person[o] for o in others)


def _company(records: list[Row], parts: list[NameParts], clusters: Clusters) -> Company:
    people_of_article: dict[str, set[int]] = defaultdict(set)
    articles_of_person: dict[int, set[str]] = defaultdict(set)
    for i, record in enumerate(records):
        if parts[i].given is not None:
            people_of_article[record["article_id"]].add(clusters.find(i))
            articles_of_person[clusters.find(i)].add(record["article_id"])
    return Company(people_of_article, articles_of_person)


def _join_lone_surnames(
    full: list[int], lone: list[int], records: list[Row], parts: list[NameParts], clusters: Clusters, company: Company
) -> None:
    """A surname seen alone ("Horvat said", "Mr. Horvat") joins a full name of its block with that surname and
    no other gender: the only one named elsewhere beside someone its own article names (a footballer's
    surname in a match report joins the footballer, not a president), else a clearly dominant one.
    Between balanced namesakes it stays apart. Each record decides alone: lone surnames are not joined to each
    other first, or a bare "Lenz" of one article could carry another's full name into a namesake's row."""
    candidates: dict[tuple[str, str | None], dict[int, int]] = {}  # (surname, gender) → full-name root → mentions
    for i in lone:
        key = (parts[i].surname, records[i].get("gender"))
        if key not in candidates:  # full names' roots do not change here: a bare surname only joins one
            candidates[key] = _full_name_weights(records[i], parts[i], full, records, parts, clusters)
        weights = candidates[key]
        if not weights:
            continue
        in_company = [root for root in weights if company.shared(records[i]["article_id"], root)]
        if len(in_company) == 1 and len(weights) > 1:
            clusters.join(in_company[0], i, "surname alone, full name in the same company", JOIN_CONFIDENCE["name variant"])
            continue
        root, top = max(weights.items(), key=lambda kv: kv[1])
        share = top / sum(weights.values())
        if share >= DOMINANT_SHARE:
            clusters.join(root, i, "surname alone, dominant full name", round(share, 2))


def _full_name_weights(
    record: Row, name: NameParts, full: list[int], records: list[Row], parts: list[NameParts], clusters: Clusters
) -> dict[int, int]:
    """The people a bare surname could be (full names of that surname and no other gender), by their mentions."""
    weights: dict[int, int] = defaultdict(int)
    for j in full:
        if fuzz.ratio(name.surname, parts[j].surname) >= names.NAME_SIMILARITY and not names.genders_differ(record, records[j]):
            weights[clusters.find(j)] += _weight(records[j])
    return weights


def _canonical(group: list[Row]) -> str:
    """The most frequent complete form (given name and surname), weighed by mentions; then diacritics
    kept ("Petrović" over "Petrovic"), then longest. A surname alone only when nothing else is known."""
    weight: dict[str, int] = defaultdict(int)
    for r in group:
        weight[r["name"]] += _weight(r)
    return max(
        sorted(weight),
        key=lambda n: (name_parts(n).given is not None, weight[n], sum(not c.isascii() for c in n), len(n)),
    )


def resolve(batches: list[ArticleRows]) -> dict[str, list[Row]]:
    """Rows of all tables except rejects, with people resolved across articles."""
    records = [p for b in batches for p in b.people]
    person_of: dict[str, str] = {}  # local key → person_id
    name_of: dict[str, str] = {}  # local key → canonical name
    people: dict[str, Row] = {}
    for group, joins in sorted(resolve_clusters(records), key=lambda g: min(r["key"] for r in g[0])):
        name = _canonical(group)
        person_id = content_id("P", normalise_name(name))
        if person_id in people:  # two unmerged people with one name: keep them apart
            person_id = content_id("P", normalise_name(name), *sorted(r["key"] for r in group))
        people[person_id] = _person_row(person_id, name, group, joins)
        for r in group:
            person_of[r["key"]], name_of[r["key"]] = person_id, name
    tables = _with_person_ids(batches, person_of, name_of, people)
    kept = {p["person_id"]: p for p in people.values() if p["n_mentions"] > 0}
    titles = [t for t in _title_rows(records, person_of) if t["person_id"] in kept]
    return {
        "articles": [b.article for b in batches],
        "people": list(kept.values()),
        "titles": titles,
        "places": place_rows(batches, tables),
        **tables,
    }


def place_rows(batches: list[ArticleRows], tables: dict[str, list[Row]]) -> list[Row]:
    """One row per place any article resolved a mention to, with its mentions and events counted."""
    places = {p["place_id"]: dict(p) for b in batches for p in b.places}
    mentions = Counter(m["place_id"] for m in tables["mentions"] if m["place_id"])
    events = Counter(e["place_id"] for e in tables["events"] if e["place_id"])
    for place_id, row in places.items():
        row["n_mentions"], row["n_events"] = mentions[place_id], events[place_id]
    return sorted(places.values(), key=lambda p: p["place_id"])


def _title_rows(records: list[Row], person_of: dict[str, str]) -> list[Row]:
    """Each title a person is given in one article, with the article and its date (the titles table)."""
    return [
        {
            "title_id": content_id("T", r["article_id"], r["key"], title),
            "person_id": person_of[r["key"]],
            "article_id": r["article_id"],
            "published_date": r["published_date"],
            "title": title,
            "disputed": disputed,
        }
        for r in records
        for disputed, titles in ((False, r["titles"]), (True, r["disputed_titles"]))
        for title in titles
    ]


def _person_row(person_id: str, name: str, group: list[Row], joins: dict[str, float]) -> Row:
    """One person from the local records of every article that names them (n_mentions counted later)."""
    dates = sorted(r["published_date"] for r in group if r["published_date"] is not None)
    aliases = {a for r in group for a in [r["name"], *r["aliases"]]} - {name}
    return {
        "person_id": person_id,
        "name": name,
        "aliases": sorted(aliases),
        "titles": sorted({t for r in group for t in r["titles"]}),
        "disputed_titles": sorted({t for r in group for t in r["disputed_titles"]}),
        "article_ids": sorted({r["article_id"] for r in group}),
        "n_mentions": 0,
        "resolution_evidence": sorted(joins) or ["one article"],
        "resolution_confidence": min(joins.values(), default=1.0),
        "first_published_date": dates[0] if dates else None,
        "last_published_date": dates[-1] if dates else None,
    }


def _with_person_ids(
    batches: list[ArticleRows], person_of: dict[str, str], name_of: dict[str, str], people: dict[str, Row]
) -> dict[str, list[Row]]:
    """Mentions, claims and events with local person keys replaced by person ids and canonical
    names (copies: cached rows stay as extracted); counts each person's mentions."""
    mentions, claims, events = [], [], []
    for batch in batches:
        local_names = {p["key"]: p["name"] for p in batch.people}
        for row in map(dict, batch.mentions):
            key = row.pop("_person_key")
            row["entity_id"] = person_of.get(key) if key else None
            if row["entity_id"]:
                people[row["entity_id"]]["n_mentions"] += 1
            mentions.append(row)
        for row in map(dict, batch.claims):
            key = row.pop("_person_key")
            row["speaker_id"] = person_of.get(key) if key else None
            if key:
                row["speaker_name"] = name_of[key]
            claims.append(row)
        for row in map(dict, batch.events):
            for side in ("actor", "target"):
                keys = row.pop(f"_{side}_keys")
                renamed = {local_names[k]: name_of[k] for k in keys}
                row[f"{side}s"] = [renamed.get(a, a) for a in row[f"{side}s"]]
                row[f"{side}_ids"] = [person_of[k] for k in keys]
            if reporter := row.pop("_reporter_key"):
                row["reported_by"] = name_of[reporter]
            events.append(row)
    return {"mentions": mentions, "claims": claims, "events": events}
