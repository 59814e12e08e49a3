"""Main text, title and published date of an HTML page.

Boilerplate (navigation, scripts, bylines, related links, footers) is dropped
so it never reaches the tables; paragraphs become blank-line separated text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "figure", "template"]
BOILERPLATE = re.compile(
    r"byline|author|share|social|related|newsletter|subscribe|promo|advert|\bads?\b|cookie|comment|footer|"
    r"breadcrumb|sidebar|recommend|popular|signup|paywall|caption|credit|tags|nav|menu|masthead|banner|toolbar",
    re.I,
)
LINK_DENSITY = 0.5
BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"]
DATE_META = [
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "date"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "dc.date"),
    ("name", "dcterms.date"),
    ("name", "DC.date.issued"),
    ("name", "sailthru.date"),
]


@dataclass
class Page:
    text: str
    title: str | None
    published: str | None
    language: str | None
    url: str | None


def _meta(soup: BeautifulSoup, attr: str, value: str) -> str | None:
    tag = soup.find("meta", attrs={attr: re.compile(f"^{re.escape(value)}$", re.I)})
    content = tag.get("content") if isinstance(tag, Tag) else None
    return str(content).strip() or None if content else None


def _json_ld_date(soup: BeautifulSoup) -> str | None:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("datePublished"):
                return str(item["datePublished"])
    return None


def _published(soup: BeautifulSoup) -> str | None:
    for attr, value in DATE_META:
        if found := _meta(soup, attr, value):
            return found
    if found := _json_ld_date(soup):
        return found
    time_tag = soup.find("time", attrs={"datetime": True})
    return str(time_tag["datetime"]) if isinstance(time_tag, Tag) else None


def _is_boilerplate(tag: Tag) -> bool:
    marks = " ".join([str(tag.get("id") or ""), *map(str, tag.get("class") or []), str(tag.get("role") or "")])
    return bool(marks.strip()) and bool(BOILERPLATE.search(marks))


def _mostly_links(block: Tag, text: str) -> bool:
    """A block whose words are mostly link text is navigation, not article text."""
    linked = sum(len(" ".join(a.get_text().split())) for a in block.find_all("a"))
    return linked > LINK_DENSITY * len(text)


def extract(markup: str) -> Page:
    """Parse a page; raises ValueError when nothing readable is found."""
    soup = BeautifulSoup(markup, "lxml")
    if soup.html is None and soup.body is None:
        raise ValueError("no HTML document structure found")
    title = _meta(soup, "property", "og:title")
    page_title = soup.title.string.strip() if soup.title and soup.title.string else None  # often "Headline | Site"
    published = _published(soup)
    html_tag = soup.find("html")
    language = str(html_tag.get("lang")).split("-")[0].lower() if isinstance(html_tag, Tag) and html_tag.get("lang") else None
    canonical = soup.find("link", rel="canonical")
    url = _meta(soup, "property", "og:url") or (str(canonical["href"]) if isinstance(canonical, Tag) and canonical.get("href") else None)

    for tag in soup(DROP_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with(" ")
    for tag in soup.find_all(_is_boilerplate):
        if not tag.decomposed:
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    h1 = root.find("h1")
    headline = " ".join(h1.get_text().split()) if isinstance(h1, Tag) else None
    title = title or headline or page_title or None
    paragraphs = []
    for block in root.find_all(BLOCKS):
        if block.find_parent(BLOCKS):
            continue  # nested block: its text is part of the parent's
        text = " ".join(block.get_text().split())
        if not text or block is h1 or _mostly_links(block, text):
            continue  # the headline is the title, not the first paragraph of the body
        paragraphs.append(text)
    if not paragraphs:
        loose = " ".join(root.get_text(" ").split())
        paragraphs = [loose] if loose else []
    if not paragraphs:
        raise ValueError("the page has no readable text")
    return Page("\n\n".join(paragraphs), title, published, language, url)
