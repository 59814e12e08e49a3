"""Synthetic wire articles with varied names, places, dates and quotes, for benchmarks."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

GIVEN = ["Ana", "Mihai", "Elena", "Igor", "Sorina", "Bakyt", "Aida", "Zurab", "Marta", "Tomas", "Rasa", "Jonel", "Lena", "Adam", "Oskar"]
FAMILY = [
    "Popescu",
    "Lungu",
    "Vulpe",
    "Osmonov",
    "Tokoeva",
    "Chkheidze",
    "Koval",
    "Zukas",
    "Petraitis",
    "Estomo",
    "Vogt",
    "Nowicki",
    "Berg",
    "Horvat",
    "Dobre",
    "Stanciu",
    "Rusu",
    "Lind",
    "Kalnina",
    "Berzins",
]
TITLES = ["Interior Minister", "union leader", "Foreign Minister", "Mayor", "opposition leader", "police spokesman"]
PLACES = [("CHISINAU", "Moldova"), ("TBILISI", "Georgia"), ("RIGA", "Latvia"), ("VILNIUS", "Lithuania"), ("BUCHAREST", "Romania")]
EVENTS = [
    "Police arrested {n} protesters outside parliament on {day}, {source} said.",
    "At least {n} people were injured when a bridge collapsed on {day}, officials said.",
    "The court ruled on {day} that the election law was unconstitutional.",
    "Dock workers began a strike on {day} over pay, the union said.",
    "The referendum set for {month} {dom} was called off, the commission announced on {day}.",
]
QUOTES = [
    "“We will not accept this decision,” {title} {name} said.",
    "{name} told reporters that the talks had collapsed after {n} hours.",
    "According to {name}, the government had ignored the warnings.",
    "“The reforms,” {surname} said, “will go on.”",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def article(rng: random.Random, i: int) -> str:
    published = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
    city, country = rng.choice(PLACES)
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    fill = {
        "n": rng.randrange(2, 900),
        "day": rng.choice(WEEKDAYS),
        "source": rng.choice(["police", "the ministry"]),
        "month": rng.choice(MONTHS),
        "dom": rng.randrange(1, 28),
        "title": rng.choice(TITLES),
        "name": name,
        "surname": name.split()[-1],
    }
    dateline = f"{city}, {country}, {published.strftime('%b')}. {published.day}, {published.year} — "
    paragraphs = [dateline + rng.choice(EVENTS).format(**fill)]
    for _ in range(rng.randrange(3, 7)):
        fill["name"] = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" if rng.random() < 0.3 else name
        fill["surname"] = fill["name"].split()[-1]
        paragraphs.append(rng.choice(QUOTES + EVENTS).format(**fill))
    paragraphs.append(f"Article {i} of the benchmark corpus was written for newsledger.")
    return "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, n: int, seed: int = 7) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        text = article(rng, i)
        (folder / f"article-{i:06d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return texts
