"""Named rules: every value of a `rule` column (`speaker:pronoun`, `month-day:last`, …) is written
by one small function registered here with `@rule`.

Each extractor (entity repair, dates, claims, speakers, events) runs an ordered list of such
functions over one per-article context. A rule's docstring opens with the phrase it handles; the
codebook prints that line. Any rule can be switched off by name — `newsledger run --without-rule
NAME` or `NEWSLEDGER_WITHOUT_RULES=NAME,NAME` — so an evaluation can show what one rule adds; the
switched-off set is part of the pipeline version, so rows cached with every rule on are never
reused for a run without one.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])
ENV = "NEWSLEDGER_WITHOUT_RULES"
# The modules that register rules, in the order the codebook lists them (the order articles go through).
RULE_MODULES = (
    "flows.repair",
    "flows.dates",
    "flows.extract.frames",
    "flows.extract.claims",
    "flows.extract.pieces",
    "flows.extract.sources",
    "flows.extract.headlines",
    "flows.extract.hedges",
    "flows.extract.speakers",
    "flows.extract.triggers",
    "flows.extract.occurrences",
    "flows.extract.events",
    "flows.places.resolver",
)


@dataclass(frozen=True)
class Rule:
    name: str  # what `--without-rule` takes
    column: str  # table.column the rule writes
    values: tuple[str, ...]  # what it writes there (`<…>` stands for a word of the text)
    summary: str  # the docstring's first line: the phrase it handles
    module: str


_REGISTRY: dict[str, Rule] = {}


def rule(name: str, column: str, *values: str) -> Callable[[F], F]:
    """Register a function as the rule `name`, writing `values` (default: its name) to `column`."""

    def register(function: F) -> F:
        summary = (function.__doc__ or "").strip().splitlines()
        if not summary:
            raise TypeError(f"rule {name} needs a docstring naming the phrase it handles")
        if name in _REGISTRY and _REGISTRY[name].module != function.__module__:
            raise ValueError(f"two rules are called {name}")
        _REGISTRY[name] = Rule(name, column, values or (name,), summary[0], function.__module__)
        setattr(function, "rule_name", name)  # noqa: B010 — read by `active`
        return function

    return register


def registry() -> dict[str, Rule]:
    """Every rule, by name (the modules that define them imported first)."""
    for module in RULE_MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def switched_off() -> frozenset[str]:
    """The rules named in NEWSLEDGER_WITHOUT_RULES (comma-separated)."""
    return _names(os.environ.get(ENV, ""))


@cache
def _names(value: str) -> frozenset[str]:
    return frozenset(name.strip() for name in value.split(",") if name.strip())


def check_names(names: Iterable[str]) -> None:
    """Refuse a rule name nobody registered (a typo would otherwise switch nothing off)."""
    known = registry()
    unknown = sorted(set(names) - known.keys())
    if unknown:
        raise ValueError(f"unknown rule {', '.join(unknown)} (see the codebook's list of rules)")


def switch_off(names: Iterable[str]) -> None:
    """Switch rules off for this process and the worker processes it starts."""
    names = sorted(set(names) | switched_off())
    check_names(names)
    os.environ[ENV] = ",".join(names)


def is_on(name: str) -> bool:
    return name not in switched_off()


def name_of(function: Callable[..., object]) -> str:
    """The name a function was registered under with `@rule`."""
    name: str = getattr(function, "rule_name")  # noqa: B009 — set by `rule`
    return name


def active(rules: tuple[F, ...]) -> tuple[F, ...]:
    """The rules of an ordered list that are not switched off, in order (asked per word: cached)."""
    return _active(rules, switched_off())


@cache
def _active(rules: tuple[F, ...], off: frozenset[str]) -> tuple[F, ...]:
    return tuple(r for r in rules if getattr(r, "rule_name", None) not in off)
