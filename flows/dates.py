"""Dates: date expressions resolved against a base date (the published date), with precision,
and the dates that open an article (wire datelines, date lines) — one module for both, read by
ingest (the published date), annotate (where the body starts) and the extractors.

dateparser misreads many news expressions ("earlier this month", "five days",
"In March"), so the common forms are resolved here by explicit, named rules;
`rule` on the result says which one applied. Nothing falls back to the base
date itself: an expression that cannot be resolved gives None.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flows import lexicons, rules
from flows.extract.numbers import WORDS
from flows.rules import rule

MONTHS = {
    name: i
    for i in range(1, 13)
    for name in {calendar.month_name[i].lower(), calendar.month_abbr[i].lower(), calendar.month_abbr[i].lower() + "."}
}
MONTHS["sept"] = MONTHS["sept."] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
EARLIEST_YEAR, LATEST_YEAR = 1800, 2100  # offsets that leave these years are misreadings
NUMBER_WORDS = {"a": 1, "an": 1, **WORDS}  # "a day later", "two days ago"
UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "hour": "hour",
    "hours": "hour",
    "minute": "minute",
    "minutes": "minute",
    "decade": "decade",
    "decades": "decade",
}
PERIODS = {"morning", "afternoon", "evening", "night", "overnight"}
FILLERS = {
    "on",
    "in",
    "at",
    "of",
    "the",
    "by",
    "during",
    "since",
    "from",
    "until",
    "till",
    "late",
    "early",
    "earlier",
    "later",
    "mid",
    "around",
    "before",
    "after",
    "this",
    "last",
    "next",
    "past",
    "coming",
    "previous",
    "following",
}

MONTH_RE = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR_RE = r"(?P<year>(?:1[89]|20|21)\d{2})"
DATE_COLUMNS = "mentions.date_rule, events.date_rule"  # where the date rules write


@dataclass(frozen=True)
class ResolvedDate:
    """A date at a precision: `start` is the first day of the interval."""

    start: date
    precision: str
    rule: str

    @property
    def end(self) -> date:
        """Last day of the interval (for "unknown", a bound: the interval ends at `start`)."""
        if self.precision in ("day", "unknown"):
            return self.start
        if self.precision == "week":
            return self.start + timedelta(days=6)
        if self.precision == "month":
            return self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])
        if self.precision == "quarter":
            return _shift_months(self.start, 3) - timedelta(days=1)
        if self.precision == "year":
            return self.start.replace(month=12, day=31)
        return date(self.start.year + 9, 12, 31)

    @property
    def value(self) -> str:
        """ISO form at the precision, as TIMEX3 writes it."""
        iso = self.start.isoformat()
        if self.precision in ("day", "week"):
            return iso
        if self.precision == "month":
            return iso[:7]
        if self.precision == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.precision == "decade":
            return iso[:3]
        return iso[:4]


def _clean(expr: str) -> str:
    text = expr.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\bmid-", "mid ", text)
    text = re.sub(r"[^\w.\- ]+", " ", text)
    return " ".join(text.split())


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _shift_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_absolute(expr: str) -> ResolvedDate | None:
    """Dates that carry their own year: ISO, "Oct. 5, 2023", "5 October 2023", "August 2008", "2008", "the 1990s"."""
    text = _clean(expr)
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return ResolvedDate(d, "day", "absolute:iso") if d else None
    for pattern in (rf"\b{MONTH_RE} {DAY_RE},? {YEAR_RE}\b", rf"\b{DAY_RE} (?:of )?{MONTH_RE},? {YEAR_RE}\b"):
        if m := re.search(pattern, text):
            d = _safe_date(int(m["year"]), MONTHS[m["month"].rstrip(".")], int(m["day"]))
            return ResolvedDate(d, "day", "absolute:day") if d else None
    if m := re.search(rf"\b{MONTH_RE},? (?:of )?{YEAR_RE}\b", text):
        return ResolvedDate(date(int(m["year"]), MONTHS[m["month"].rstrip(".")], 1), "month", "absolute:month")
    if m := re.search(r"\b((?:1[89]|20)\d)0s\b", text):
        return ResolvedDate(date(int(m[1]) * 10, 1, 1), "decade", "absolute:decade")
    if m := re.fullmatch(rf"(?:(?:in|of|since|by|during|until|early|late|mid|the|fiscal) )*{YEAR_RE}", text):
        return ResolvedDate(date(int(m["year"]), 1, 1), "year", "absolute:year")
    return None


@rule("weekday", DATE_COLUMNS, "weekday:last", "weekday:next", "weekday:past", "weekday:future")
def weekday(text: str, base: date, tense: str) -> ResolvedDate | None:
    """ "on Tuesday", "last Friday", "next Monday": the weekday before (or, in a future clause, after) the published date."""
    words = text.split()
    names = [w for w in words if w in WEEKDAYS]
    if len(names) != 1 or any(w not in WEEKDAYS and w not in FILLERS and w not in PERIODS for w in words):
        return None
    target = WEEKDAYS[names[0]]
    back = (base.weekday() - target) % 7
    ahead = (target - base.weekday()) % 7
    if "last" in words or "previous" in words or "past" in words:
        return ResolvedDate(base - timedelta(days=back or 7), "day", "weekday:last")
    if "next" in words or "coming" in words:
        return ResolvedDate(base + timedelta(days=ahead or 7), "day", "weekday:next")
    if "since" in words or tense != "future":
        return ResolvedDate(base - timedelta(days=back), "day", "weekday:past")
    return ResolvedDate(base + timedelta(days=ahead or 7), "day", "weekday:future")


WEEKDAY_RE = r"(?:(?P<weekday>" + "|".join(WEEKDAYS) + r") )?"


@rule("month-day", DATE_COLUMNS, "month-day:weekday", "month-day:next", "month-day:last", "month-day:nearest")
def month_day(text: str, base: date, tense: str) -> ResolvedDate | None:
    """ "October 28", "on 28 October", "Wednesday, October 28": the year the weekday or the tense picks."""
    lead = r"(?:(?:on|by|until|since|from|the|late|early) )*"
    m = re.fullmatch(rf"{lead}{WEEKDAY_RE}{MONTH_RE} {DAY_RE}", text) or re.fullmatch(
        rf"{lead}{WEEKDAY_RE}{DAY_RE} (?:of )?{MONTH_RE}", text
    )
    if not m:
        return None
    month, day = MONTHS[m["month"].rstrip(".")], int(m["day"])
    candidates = [d for y in (base.year - 1, base.year, base.year + 1) if (d := _safe_date(y, month, day))]
    if m["weekday"] and (named := [d for d in candidates if d.weekday() == WEEKDAYS[m["weekday"]]]):
        return ResolvedDate(min(named, key=lambda d: abs((d - base).days)), "day", "month-day:weekday")
    if not candidates:
        return None
    if tense == "future":
        pool, name = [d for d in candidates if d >= base], "month-day:next"
    elif tense == "past":
        pool, name = [d for d in candidates if d <= base], "month-day:last"
    else:
        pool, name = candidates, "month-day:nearest"
    best = min(pool or candidates, key=lambda d: abs((d - base).days))
    return ResolvedDate(best, "day", name)


@rule("month", DATE_COLUMNS, "month:next", "month:last")
def month(text: str, base: date, tense: str) -> ResolvedDate | None:
    """ "in March", "last May": the month before the published date, or after it in a future clause."""
    m = re.fullmatch(rf"(?:(?:in|on|by|until|since|from|the|late|early|mid|last|next|this|of) )*{MONTH_RE}", text)
    if not m:
        return None
    month = MONTHS[m["month"].rstrip(".")]
    words = text.split()
    this_year = date(base.year, month, 1)
    if "next" in words or (tense == "future" and "last" not in words):
        start = this_year if month > base.month or (month == base.month and "next" not in words) else date(base.year + 1, month, 1)
        return ResolvedDate(start, "month", "month:next")
    start = this_year if month <= base.month and not ("last" in words and month == base.month) else date(base.year - 1, month, 1)
    return ResolvedDate(start, "month", "month:last")


@rule("relative", DATE_COLUMNS, "relative:<which>-<week|month|year>")
def relative_period(text: str, base: date, tense: str = "past") -> ResolvedDate | None:
    """ "last week", "earlier this month", "next year": the week, month or year around the published date."""
    m = re.fullmatch(
        r"(?:(?:the|of|in|during|since|until|by|for) )*(earlier |later |early |late |mid )?"
        r"(last|this|next|past|previous|coming|current) (week|month|year)",
        text,
    )
    if not m:
        return None
    which, unit = m[2], m[3]
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    name = f"relative:{which}-{unit}" if not m[1] else f"relative:{m[1].strip()}-{which}-{unit}"
    if unit == "year":
        return ResolvedDate(date(base.year + step, 1, 1), "year", name)
    if unit == "month":
        return ResolvedDate(_shift_months(base.replace(day=1), step), "month", name)
    monday = base - timedelta(days=base.weekday())
    return ResolvedDate(monday + timedelta(weeks=step), "week", name)


@rule("deictic", DATE_COLUMNS, "deictic:today", "deictic:yesterday", "deictic:tomorrow")
def deictic(text: str, base: date, tense: str = "past") -> ResolvedDate | None:
    """ "today", "last night", "tomorrow morning": a day next to the published date."""
    words = set(text.split())
    for names, offset, name in (
        ({"today", "tonight", "this morning", "this afternoon", "this evening"}, 0, "deictic:today"),
        ({"yesterday", "last night"}, -1, "deictic:yesterday"),
        ({"tomorrow"}, 1, "deictic:tomorrow"),
    ):
        if any(n in words if " " not in n else n in text for n in names) and not words - FILLERS - PERIODS - {
            "today",
            "tonight",
            "yesterday",
            "tomorrow",
        }:
            return ResolvedDate(base + timedelta(days=offset), "day", name)
    return None


def _offset(text: str, anchor: date, direction_words: dict[str, int], name: str) -> ResolvedDate | None:
    m = re.fullmatch(r"(?:(?:the|some|about|around|just|only|nearly|almost) )*(\w+) (days?|weeks?|months?|years?) (\w+)", text)
    if m and m[3] in direction_words and (n := _number(m[1])) is not None:
        unit, sign = UNITS[m[2]], direction_words[m[3]]
        if unit == "day":
            return ResolvedDate(anchor + timedelta(days=sign * n), "day", name)
        if unit == "week":
            return ResolvedDate(anchor + timedelta(weeks=sign * n), "day", name)
        if unit == "month":
            return ResolvedDate(_shift_months(anchor.replace(day=1), sign * n), "month", name)
        return ResolvedDate(date(anchor.year + sign * n, 1, 1), "year", name)
    return None


def _next_day(text: str, anchor: date) -> ResolvedDate | None:
    if text in {"the next day", "next day", "the following day", "the day after", "a day later", "the next morning"}:
        return ResolvedDate(anchor + timedelta(days=1), "day", "offset:context")
    if text in {"the day before", "the previous day", "a day earlier"}:
        return ResolvedDate(anchor - timedelta(days=1), "day", "offset:context")
    return None


def is_duration(expr: str) -> bool:
    """True for lengths of time ("five days", "six hours", "the past two weeks"), which are not dates."""
    text = _clean(expr)
    words = text.split()
    if any(w in {"ago", "later", "earlier", "before", "after"} for w in words):
        return False
    return (
        any(w in UNITS for w in words)
        and any(_number(w) is not None or w in {"several", "few", "many", "past", "last"} for w in words)
        and not relative_period(text, date(2000, 1, 1))
    )


ORDINAL_DAY = re.compile(
    r"\b(?:the\s+)?(?P<n>\d{1,4})(?:st|nd|rd|th)\s+day\s+(?:of|since)\s+(?P<what>[^.;:!?,]{3,120})"
    r"|\bday\s+(?P<n2>\d{1,4})\s+(?:of|since)\s+(?P<what2>[^.;:!?,]{3,120})",
    re.I,
)


def infer_from_anchors(text: str) -> tuple[date, str] | None:
    """Published date from "the Nth day of <anchor event>" (anchors in lexicons/anchors.yaml): (date, words)."""
    anchors = lexicons.load("anchors")["anchors"]
    for m in ORDINAL_DAY.finditer(text):
        n = int(m["n"] or m["n2"])
        words = set(re.findall(r"[\w-]+", (m["what"] or m["what2"]).lower().replace("’", "'")))
        for anchor in anchors:
            if any(all(k in words for k in key) for key in anchor["keys"]):
                start = date.fromisoformat(str(anchor["start"]))
                return start + timedelta(days=n - 1), m.group(0).strip()
    return None


def _within_bounds(found: ResolvedDate, base: date | None, tense: str) -> bool:
    """An offset from the event the text spoke of ("108 years later") stays in the years news is
    about, and a past-tense one does not land after the article was published."""
    if not EARLIEST_YEAR <= found.start.year <= LATEST_YEAR:
        return False
    return base is None or tense != "past" or found.start <= base


@rule("absolute", DATE_COLUMNS, "absolute:iso", "absolute:day", "absolute:month", "absolute:decade", "absolute:year")
def absolute_date(expr: str, base: date | None, tense: str, context: date | None) -> ResolvedDate | None:
    """ "Oct. 5, 2023", "August 2008", "the 1990s": a date that carries its own year."""
    return parse_absolute(expr)


ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}
QUARTER = re.compile(
    r"^(?:(?:the|in|of|during|for|by|since|until|its|their|this|last|next|coming|past|previous|calendar) )*"
    r"(?:(?P<year1>(?:19|20)\d{2}) )?(?:(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|final|last) quarter|q(?P<q>[1-4]))"
    r"(?: of)?(?: (?:(?P<year2>(?:19|20)\d{2})|(?P<which>this|last|next|the) year))?$"
)


QUARTER_VALUES = ("quarter:year", "quarter:this-year", "quarter:last-year", "quarter:next-year", "quarter:nearest", "quarter:last")


@rule("quarter", DATE_COLUMNS, *QUARTER_VALUES)
def quarter(expr: str, base: date | None, tense: str, context: date | None) -> ResolvedDate | None:
    """ "the fourth quarter of 2005", "Q3 2009", "the first quarter of last year", "the third quarter", "last quarter": a
    calendar quarter (a fiscal quarter is not: companies' fiscal years start in different months)."""
    text = _clean(expr)
    m = QUARTER.match(text)
    if not m or "fiscal" in text:
        return None
    n = int(m["q"]) if m["q"] else ORDINALS[m["nth"]]
    if year := m["year1"] or m["year2"]:
        return ResolvedDate(date(int(year), 3 * n - 2, 1), "quarter", "quarter:year")
    if base is None:
        return None
    if m["nth"] == "last" and not m["which"]:  # "last quarter", "in the last quarter": the one before the published date's
        begun = date(base.year, 3 * ((base.month - 1) // 3) + 1, 1)
        return ResolvedDate(_shift_months(begun, -3), "quarter", "quarter:last")
    if m["which"] in {"this", "last", "next"}:
        shift = {"this": 0, "last": -1, "next": 1}[m["which"]]
        return ResolvedDate(date(base.year + shift, 3 * n - 2, 1), "quarter", f"quarter:{m['which']}-year")
    # "the third quarter" alone: the latest one begun by the published date, or in a future clause the next to end
    this_year = date(base.year, 3 * n - 2, 1)
    if tense == "future":
        start = this_year if _shift_months(this_year, 3) > base else date(base.year + 1, 3 * n - 2, 1)
    else:
        start = this_year if this_year <= base else date(base.year - 1, 3 * n - 2, 1)
    return ResolvedDate(start, "quarter", "quarter:nearest")


@rule("offset:context", DATE_COLUMNS)
def offset_from_event(expr: str, base: date | None, tense: str, context: date | None) -> ResolvedDate | None:
    """ "two days later", "the next day": counted from the event the text just spoke of."""
    if context is None:
        return None
    text = _clean(expr)
    later = _offset(text, context, {"later": 1, "after": 1, "earlier": -1, "before": -1}, "offset:context") or _next_day(text, context)
    return later if later and _within_bounds(later, base, tense) else None


@rule("offset:ago", DATE_COLUMNS)
def offset_ago(text: str, base: date, tense: str) -> ResolvedDate | None:
    """ "three weeks ago", "two years ago": counted back from the published date."""
    return _offset(text, base, {"ago": -1}, "offset:ago")


# Rules that need no published date, then those that count from it; the first that resolves wins.
ANCHORED_RULES: tuple[Callable[[str, date | None, str, date | None], ResolvedDate | None], ...] = (
    quarter,
    absolute_date,
    offset_from_event,
)
FROM_PUBLISHED_RULES: tuple[Callable[[str, date, str], ResolvedDate | None], ...] = (
    deictic,
    weekday,
    month_day,
    month,
    relative_period,
    offset_ago,
)


def resolve(expr: str, base: date | None, tense: str = "past", context: date | None = None) -> ResolvedDate | None:
    """Resolve one date expression.

    base: the published date; tense: "past", "future" or "neutral" (how the
    clause speaks of the event); context: the date of the event the text just
    talked about, for "two days later". A length of time ("five days") is not a date.
    """
    for anchored in rules.active(ANCHORED_RULES):
        if found := anchored(expr, base, tense, context):
            return found
    text = _clean(expr)
    if base is None or is_duration(text):
        return None
    for counted in rules.active(FROM_PUBLISHED_RULES):
        if found := counted(text, base, tense):
            return found
    return None


# --- datelines and date lines: where an article states its own date

PLACE = r"(?P<place>[A-Z][A-Z .'\-]+(?:,\s*[A-Z][\w .'\-]+)?)"
# "RIGA, Latvia, Oct. 5, 2023 —" or "LONDON (Reuters), 12 June 2021 -": a place and a full date
DATELINE = re.compile(
    rf"^{PLACE}\s*(?:\([\w .]+\))?,?\s+"
    r"(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})\s*[—–-]{1,2}\s*"
)
# "WARSAW (Reuters) -" or "BUCHAREST, March 4 (Reuters) -": a place and a news agency, no year
AGENCY_DATELINE = re.compile(
    rf"^{PLACE}(?:,\s*(?:[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}|\d{{1,2}}\s+[A-Z][a-z]{{2,8}}\.?))?\s*\([A-Z][\w .&/-]*\)\s*[—–-]{{1,2}}\s*"
)


def find_dateline(text: str) -> re.Match[str] | None:
    """The wire dateline opening the text, with or without a full date."""
    return DATELINE.match(text) or AGENCY_DATELINE.match(text)


def parse_dateline(text: str) -> tuple[date | None, str, int] | None:
    """A wire dateline such as "RIGA, Latvia, Oct. 5, 2023 —" or "WARSAW (Reuters) -":
    (its date when it states one with the year, its words, where the body starts)."""
    m = find_dateline(text)
    if not m:
        return None
    resolved = parse_absolute(m["date"]) if m.re is DATELINE else None
    full_date = resolved is not None and resolved.precision == "day"
    return (resolved.start if resolved is not None and full_date else None), m.group(0).rstrip(" —–-"), m.end()


DATE_LINE_WORDS = 12
DATE_LINE_PARAGRAPHS = 3  # how far from the top a date line may stand


def date_lines(paragraphs: list[str]) -> list[tuple[date, str]]:
    """Short paragraphs that hold only a date and a time ("Published: 3 May 2024 10:00 GMT"):
    (the date, the paragraph) of each."""
    allowed = lexicons.words("boilerplate", "date_line_words") | MONTHS.keys() | WEEKDAYS.keys()
    found = []
    for paragraph in paragraphs:
        resolved = parse_absolute(re.sub(r"(\d{4}-\d{2}-\d{2})T", r"\1 ", paragraph))  # ISO timestamps
        if len(paragraph.split()) > DATE_LINE_WORDS or resolved is None or resolved.precision != "day":
            continue
        if all(word in allowed for word in re.findall(r"[a-z][a-z.]*", paragraph.lower())):
            found.append((resolved.start, paragraph))
    return found


def published_line(lines: list[tuple[date, str]]) -> tuple[date, str] | None:
    """The publication date among date lines: a published date over an updated one."""
    published = [line for line in lines if "updated" not in line[1].lower()]
    return (published or lines)[0] if lines else None
