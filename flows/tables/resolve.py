"""Resolve people across articles and give every row its person ids.

Matching is blocked: each person is filed under a key made from the
consonants of the transliteration-normalised surname ("Chkheidze" and
"Tchkheidze" → "chdz"), and only people in one block are compared, with
rapidfuzz. Cost grows with the size of blocks, not the square of all names.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rapidfuzz import fuzz

from flows import names
from flows.article import content_id
from flows.extract.rows import ArticleRows
from flows.names import normalise_name, same_person_across_articles, surname_key, without_leading_particles

Row = dict[str, Any]


def cluster_people(records: list[Row]) -> list[list[Row]]:
    """Group per-article person records into real people (union-find within blocks)."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [without_leading_particles(normalise_name(r["name"]).split()) or [""] for r in records]
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(words):
        blocks[surname_key(name)].append(i)
    for members in blocks.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if find(i) != find(j) and same_person_across_articles(records[i], records[j], words[i], words[j]):
                    parent[find(j)] = find(i)
    for members in blocks.values():
        # a surname seen alone ("Chkheidze said") is the one full name of its block with that
        # surname; with two namesakes ("Sadiq Khan", "Imran Khan") it stays apart
        for i in (i for i in members if len(words[i]) == 1):
            candidates = {
                find(j)
                for j in members
                if len(words[j]) > 1
                and fuzz.ratio(words[i][0], words[j][-1]) >= names.NAME_SIMILARITY
                and not names.genders_differ(records[i], records[j])
            }
            if len(candidates) == 1 and (root := candidates.pop()) != find(i):
                parent[find(i)] = root
    groups: dict[int, list[Row]] = defaultdict(list)
    for i, record in enumerate(records):
        groups[find(i)].append(record)
    return list(groups.values())


def _canonical(group: list[Row]) -> str:
    names = [r["name"] for r in group]
    # most words, most often seen, diacritics kept ("Petrović" over "Petrovic"), then longest
    return max(sorted(set(names)), key=lambda n: (len(n.split()), names.count(n), sum(not c.isascii() for c in n), len(n)))


def resolve(batches: list[ArticleRows]) -> dict[str, list[Row]]:
    """Rows of all tables except rejects, with people resolved across articles."""
    records = [p for b in batches for p in b.people]
    person_of: dict[str, str] = {}  # local key → person_id
    name_of: dict[str, str] = {}  # local key → canonical name
    people: dict[str, Row] = {}
    for group in sorted(cluster_people(records), key=lambda g: min(r["key"] for r in g)):
        name = _canonical(group)
        person_id = content_id("P", normalise_name(name))
        if person_id in people:  # two unmerged people with one name: keep them apart
            person_id = content_id("P", normalise_name(name), *sorted(r["key"] for r in group))
        people[person_id] = _person_row(person_id, name, group)
        for r in group:
            person_of[r["key"]], name_of[r["key"]] = person_id, name
    tables = _with_person_ids(batches, person_of, name_of, people)
    return {"articles": [b.article for b in batches], "people": [p for p in people.values() if p["n_mentions"] > 0], **tables}


def _person_row(person_id: str, name: str, group: list[Row]) -> Row:
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
