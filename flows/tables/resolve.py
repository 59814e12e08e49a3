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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from flows import names
from flows.article import content_id
from flows.extract.rows import ArticleRows
from flows.names import NameParts, given_compatible, name_parts, normalise_name, same_person_across_articles, surname_key
from flows.tables import person_ids

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


def block_of(name: str) -> str:
    """The block a name is compared in: the consonant key of its surname ("Ana Horvat" → "hrvt")."""
    return surname_key(name_parts(name).surname)


@dataclass
class Clustering:
    """Per-article person records grouped into real people, each with the joins that made it
    (evidence → confidence), and what the people index keeps of every record: its block and
    the full-name person it belongs to before bare surnames join (`full_cluster`, the least key
    of that person's full-name records; None for a bare surname)."""

    groups: list[tuple[list[Row], dict[str, float]]]
    block: dict[str, str]  # record key → block
    full_cluster: dict[str, str | None]  # record key → full-name cluster


def resolve_clusters(records: list[Row]) -> list[tuple[list[Row], dict[str, float]]]:
    """Per-article person records grouped into real people, each with the joins that made it."""
    return cluster_records(records).groups


def cluster_records(records: list[Row] | FullNames, company_elsewhere: Iterable[tuple[str, str]] = ()) -> Clustering:
    """Blocked by surname key; full names first, then lone surnames. Records are taken in the
    order of their keys, so the result does not depend on the order articles came in (an
    incremental run and a full run over the same articles agree). `company_elsewhere` is the
    (article id, full-name cluster) of full-name records of other blocks, resolved before and not
    passed in: who a bare surname here is named beside (flows/tables/people_index.py). Records may
    come with their full names joined already (`FullNames`), which the people index does to see
    what a run changes."""
    full_names = records if isinstance(records, FullNames) else FullNames(records)
    records, parts, clusters = full_names.records, full_names.parts, full_names.clusters
    company = _company(records, full_names.full_cluster, company_elsewhere)
    for full, surnames in zip(full_names.full, full_names.lone, strict=True):
        _join_lone_surnames(full, surnames, records, parts, clusters, company, full_names.cluster_id)
    for surnames in full_names.lone:  # the surnames that joined no full name: one person per surname
        _join_same_names([i for i in surnames if clusters.find(i) == i or parts[clusters.find(i)].given is None], records, parts, clusters)
    groups: dict[int, list[Row]] = defaultdict(list)
    for i, record in enumerate(records):
        groups[clusters.find(i)].append(record)
    groups_joins = [(group, clusters.joins.get(root, {})) for root, group in groups.items()]
    return Clustering(groups_joins, full_names.block, full_names.full_cluster)


class FullNames:
    """The first step of clustering: records in key order, their name parts and blocks, and the
    full names of each block joined (`cluster_id`: full-name root → the least key of its records;
    `full_cluster`: record key → its full-name cluster, `Clustering.full_cluster`)."""

    def __init__(self, records: list[Row]):
        self.records = sorted(records, key=lambda r: r["key"])
        self.clusters = Clusters(list(range(len(self.records))))
        self.parts = [name_parts(r["name"]) for r in self.records]
        blocks: dict[str, list[int]] = defaultdict(list)
        self.block: dict[str, str] = {}
        for i, name in enumerate(self.parts):
            block = surname_key(name.surname)
            blocks[block].append(i)
            self.block[self.records[i]["key"]] = block
        self.full = [[i for i in members if self.parts[i].given is not None] for members in blocks.values()]
        self.lone = [[i for i in members if self.parts[i].given is None] for members in blocks.values()]
        for members in self.full:
            _join_same_names(members, self.records, self.parts, self.clusters)
        self.cluster_id: dict[int, str] = {}
        for members in self.full:
            for i in members:
                self.cluster_id.setdefault(self.clusters.find(i), self.records[i]["key"])
        self.full_cluster: dict[str, str | None] = {
            r["key"]: self.cluster_id[self.clusters.find(i)] if self.parts[i].given is not None else None
            for i, r in enumerate(self.records)
        }


def _join_same_names(members: list[int], records: list[Row], parts: list[NameParts], clusters: Clusters) -> None:
    """Join the records of one block that name one person (names.same_person_across_articles).
    Records of one name and gender always join, so they are joined first and only one of them
    is compared with the other names: the cost grows with the names of a block, not its records
    (a surname in thousands of articles)."""
    first: dict[tuple[str, str | None], int] = {}
    count: Counter[int] = Counter()
    for i in members:
        node = (records[i]["name"], records[i].get("gender"))
        if node in first:
            clusters.join(first[node], i, "same name", JOIN_CONFIDENCE["same name"])
        else:
            first[node] = i
        count[first[node]] += 1
    names_of_block = sorted(first.values(), key=lambda i: (-count[i], i))  # the most frequent form first: it takes the vague ones
    names_in: dict[int, list[int]] = defaultdict(list)  # cluster root → its names in this block
    for i in names_of_block:
        names_in[clusters.find(i)].append(i)
    for n, i in enumerate(names_of_block):
        for j in names_of_block[n + 1 :]:
            a, b = clusters.find(i), clusters.find(j)
            if a == b or not same_person_across_articles(records[i], records[j], parts[i], parts[j]):
                continue
            if not all(given_compatible(parts[x], parts[y]) for x in names_in[a] for y in names_in[b]):
                continue  # "Oskar Berg" may be "Oskar B. Berg" or "Oskar T.B. Berg", but it makes them no one person
            same = normalise_name(records[i]["name"]) == normalise_name(records[j]["name"])
            evidence = "same name" if same else "name variant"
            clusters.join(i, j, evidence, JOIN_CONFIDENCE[evidence])
            names_in[clusters.find(i)] = names_in.pop(a) + names_in.pop(b)


@dataclass(frozen=True)
class Company:
    """Who is named with whom: the full-name people of each article, and every pair of people named
    in one article. (Pairs, not each person's articles: asking whether two people ever met is then
    one lookup, and the cost grows with the archive, not with its square.) People are their
    full-name clusters (`Clustering.full_cluster`), so people of blocks resolved in an earlier run
    take part too."""

    people_of_article: dict[str, set[str]]
    pairs: set[tuple[str, str]]

    def shared(self, article_id: str, candidates: dict[int, str]) -> list[int]:
        """The candidates (root → full-name cluster) who appear elsewhere beside someone this article names."""
        others = self.people_of_article.get(article_id, set())
        return [root for root, c in candidates.items() if any((c, o) in self.pairs for o in others if o != c)]


def _company(records: list[Row], full_cluster: dict[str, str | None], elsewhere: Iterable[tuple[str, str]]) -> Company:
    people_of_article: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if (cluster := full_cluster[record["key"]]) is not None:
            people_of_article[record["article_id"]].add(cluster)
    for article_id, cluster in elsewhere:
        people_of_article[article_id].add(cluster)
    pairs = {(a, b) for people in people_of_article.values() for a in people for b in people if a != b}
    return Company(people_of_article, pairs)


def _join_lone_surnames(
    full: list[int],
    lone: list[int],
    records: list[Row],
    parts: list[NameParts],
    clusters: Clusters,
    company: Company,
    cluster_id: dict[int, str],
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
        in_company = company.shared(records[i]["article_id"], {r: cluster_id[r] for r in weights}) if len(weights) > 1 else []
        if len(in_company) == 1:
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


@dataclass
class People:
    """Who every per-article person record is: person id and canonical name by record key, and
    one people row per person (its counts and dates are filled from the published rows, `finish_people`)."""

    of: dict[str, tuple[str, str]]  # record key → (person_id, canonical name)
    rows: dict[str, Row]  # person_id → people row
    registry: person_ids.Registry = field(default_factory=person_ids.Registry)  # every id minted so far, with these people's anchors
    block: dict[str, str] = field(default_factory=dict)  # record key → block (Clustering.block)
    full_cluster: dict[str, str | None] = field(default_factory=dict)  # record key → full-name cluster


def resolve_people(
    records: list[Row] | FullNames, registry: person_ids.Registry | None = None, company_elsewhere: Iterable[tuple[str, str]] = ()
) -> People:
    """Group per-article person records into people and give each its person id: the id its
    records had in the registry, else a new one (flows/tables/person_ids.py). The registry
    returned holds the anchors of these records only."""
    registry = registry or person_ids.Registry()
    clustering = cluster_records(records, company_elsewhere)
    clusters = sorted(clustering.groups, key=lambda g: min(r["key"] for r in g[0]))
    named = [(_canonical(group), group) for group, _ in clusters]
    of: dict[str, tuple[str, str]] = {}
    rows: dict[str, Row] = {}
    for person_id, (name, group), (_, joins) in zip(registry.assign(named), named, clusters, strict=True):
        rows[person_id] = _person_row(person_id, name, group, joins)
        for r in group:
            of[r["key"]] = (person_id, name)
    updated = registry.updated({p: (n, g) for p, (n, g) in zip(rows, named, strict=True)})
    return People(of, rows, updated, clustering.block, clustering.full_cluster)


def finish_people(people: People, mentions: Counter[str], published: dict[str, date | None]) -> list[Row]:
    """People rows with their published mentions counted, their articles and dates limited to the
    published articles (`published`: article id → date); a person left with no mention is dropped."""
    rows = []
    for person_id, row in people.rows.items():
        if not mentions[person_id]:
            continue
        articles = [a for a in row["article_ids"] if a in published]
        dates = sorted(d for a in articles if (d := published[a]) is not None)
        first, last = (dates[0], dates[-1]) if dates else (None, None)
        rows.append(
            {**row, "article_ids": articles, "n_mentions": mentions[person_id], "first_published_date": first, "last_published_date": last}
        )
    return rows


def part_rows(batches: list[ArticleRows], people: People) -> dict[str, list[Row]]:
    """The rows of one part's articles, with person keys replaced by person ids and names."""
    return {
        "articles": [b.article for b in batches],
        "titles": _title_rows([p for b in batches for p in b.people], people.of),
        **_with_person_ids(batches, people.of),
    }


def resolve(batches: list[ArticleRows]) -> dict[str, list[Row]]:
    """Rows of all tables except rejects for a set of articles taken as one part (tests and tools)."""
    people = resolve_people([p for b in batches for p in b.people])
    rows = part_rows(batches, people)
    mentions = Counter(m["entity_id"] for m in rows["mentions"] if m["entity_id"])
    published = {a["article_id"]: a["published_date"] for a in rows["articles"]}
    places = {p["place_id"]: p for b in batches for p in b.places}
    return {**rows, "people": finish_people(people, mentions, published), "places": place_rows(places, rows["mentions"], rows["events"])}


def place_rows(places: dict[str, Row], mentions: Iterable[Row], events: Iterable[Row]) -> list[Row]:
    """One row per place a published mention or event resolves to, with its mentions and events counted."""
    return count_places(
        places, Counter(m["place_id"] for m in mentions if m["place_id"]), Counter(e["place_id"] for e in events if e["place_id"])
    )


def count_places(places: dict[str, Row], mentions: Counter[str], events: Counter[str]) -> list[Row]:
    rows = []
    for place_id in sorted(places):
        if mentions[place_id] or events[place_id]:
            rows.append({**places[place_id], "n_mentions": mentions[place_id], "n_events": events[place_id]})
    return rows


def _title_rows(records: list[Row], of: dict[str, tuple[str, str]]) -> list[Row]:
    """Each title a person is given in one article, with the article and its date (the titles table)."""
    return [
        {
            "title_id": title_id(r, title),
            "person_id": of[r["key"]][0],
            "article_id": r["article_id"],
            "published_date": r["published_date"],
            "title": title,
            "disputed": disputed,
        }
        for r in records
        for disputed, title in titles_of(r)
    ]


def titles_of(record: Row) -> list[tuple[bool, str]]:
    """(disputed, title) of every title a per-article person record holds, each once: a title the
    article also puts in scare quotes ("the 'president'") is disputed there (one titles row, one id)."""
    disputed = set(record["disputed_titles"])
    return [(False, t) for t in sorted(set(record["titles"]) - disputed)] + [(True, t) for t in sorted(disputed)]


def title_id(record: Row, title: str) -> str:
    return content_id("T", record["article_id"], record["key"], title)


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


def _with_person_ids(batches: list[ArticleRows], of: dict[str, tuple[str, str]]) -> dict[str, list[Row]]:
    """Mentions, claims and events with local person keys replaced by person ids and canonical
    names (copies: cached rows stay as extracted)."""
    mentions, claims, events = [], [], []
    for batch in batches:
        local_names = {p["key"]: p["name"] for p in batch.people}
        for row in map(dict, batch.mentions):
            row["entity_id"] = mention_person(row.pop("_person_key"), of)
            mentions.append(row)
        for row in map(dict, batch.claims):
            row |= claim_speaker(row.pop("_person_key"), row["speaker_name"], of)
            claims.append(row)
        for row in map(dict, batch.events):
            keys = {side: row.pop(f"_{side}_keys") for side in SIDES}
            texts = {side: row[f"{side}s"] for side in SIDES}
            row |= event_people(keys, texts, row.pop("_reporter_key"), row["reported_by"], local_names, of)
            events.append(row)
    return {"mentions": mentions, "claims": claims, "events": events}


# The person columns of a row, from its local person keys. The rebuild of a part and the
# repointing of a part whose people were renamed (flows/tables/repoint.py) both use these.
SIDES = ("actor", "target")


def mention_person(key: str | None, of: dict[str, tuple[str, str]]) -> str | None:
    """`entity_id` of a mention: the person id of its person, if it names one."""
    return of[key][0] if key and key in of else None


def claim_speaker(key: str | None, name: str | None, of: dict[str, tuple[str, str]]) -> Row:
    """`speaker_id` and `speaker_name` of a claim: the person's id and canonical name, or its own text."""
    if not key:
        return {"speaker_id": None, "speaker_name": name}
    return {"speaker_id": of[key][0] if key in of else None, "speaker_name": of[key][1]}


def event_people(
    keys: dict[str, list[str]],
    texts: dict[str, list[str]],
    reporter: str | None,
    reported_by: str | None,
    local_names: dict[str, str],
    of: dict[str, tuple[str, str]],
) -> Row:
    """Actors and targets of an event (texts naming a person's local name become their canonical
    name), their person ids, and who reported it."""
    row: Row = {}
    for side in SIDES:
        renamed = {local_names[k]: of[k][1] for k in keys[side]}
        row[f"{side}s"] = [renamed.get(a, a) for a in texts[side]]
        row[f"{side}_ids"] = [of[k][0] for k in keys[side]]
    row["reported_by"] = of[reporter][1] if reporter else reported_by
    return row
