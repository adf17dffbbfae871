"""The catalogue: every rule unit of every family, by code (the Rules page, the runner, the tests).

Above the families: it imports them all, and with them the registries and the models their
checks need. A new rule is one unit in its family's module; nothing here changes.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    analytics,
    channel_fit,
    declared,
    fields,
    file,
    links,
    media_checks,
    planning,
    repository,
    scheduler_limits,
    series_format,
)
from .core import Rule, Scope

FAMILIES: tuple[ModuleType, ...] = (
    file, declared, fields, links, channel_fit, media_checks, series_format, planning, analytics, repository,
    scheduler_limits,
)  # fmt: skip


def _collect() -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for module in FAMILIES:
        for name, value in vars(module).items():
            if isinstance(value, Rule):
                if name != value.code or found.get(value.code, value) is not value:
                    raise RuntimeError(f"{module.__name__}.{name}: rule {value.code} is named or defined twice")
                found[value.code] = value
    return dict(sorted(found.items()))


RULES: dict[str, Rule] = _collect()
FILE_RULES: tuple[Rule, ...] = tuple(r for r in RULES.values() if r.scope is Scope.FILE)
CORPUS_RULES: tuple[Rule, ...] = tuple(r for r in RULES.values() if r.scope is Scope.CORPUS)


def rule(code: str) -> Rule:
    return RULES[code]
