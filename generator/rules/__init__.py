"""The catalogue of validation rules: one unit per rule (see core.py), one module per family.

- file.py: the file itself (SC0xx, checked while it is read)
- schema.py: keys, types, dates, audiences, file names (SC1xx)
- links.py: where a post leads (its link, URLs in its text)
- channels.py: which accounts, and what each accepts (text, hashtags, media)
- series.py: recurring formats, one post at a time
- planning.py: rules across files (ids, references, cadence, clashes)
- results.py: analytics (`results`)
- media.py: the files a post's media name (checked in the repository, thumbnailed at build)
- repository.py: the repository's set-up: the editor configuration and the registries (SC5xx)
- exports.py: what a scheduling tool's bulk upload would refuse (SC6xx, `socialcal export`)

Every diagnostic names one of these codes. The codes are stable: contributors search for them, and
the site's Rules page is generated from this catalogue. A new rule is one unit in its family's
module (with its examples, which tests/test_rules.py runs); nothing else needs to change.
"""

from __future__ import annotations

from types import ModuleType

from . import channels, exports, file, links, media, planning, repository, results, schema, series
from .core import Corpus, Example, File, FileContext, Finding, Rule, Scope

FAMILIES: tuple[ModuleType, ...] = (
    file, schema, links, channels, media, series, planning, results, repository, exports
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


__all__ = [
    "CORPUS_RULES",
    "FILE_RULES",
    "RULES",
    "Corpus",
    "Example",
    "File",
    "FileContext",
    "Finding",
    "Rule",
    "Scope",
    "rule",
]
