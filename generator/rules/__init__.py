"""The catalogue of validation rules: one unit per rule (see core.py), one module per family.

| module | codes | what |
|---|---|---|
| file.py | SC0xx | the file itself (checked while it is read) |
| schema.py | SC101–SC107, SC110, SC111 | keys, types, dates, audiences, file name |
| links.py | SC108, SC302, SC303, SC308 | where a post leads |
| channels.py | SC201, SC205, SC3xx | which accounts, and what each accepts (text, hashtags, media) |
| series.py | SC202, SC207, SC208, SC210 | recurring formats |
| planning.py | SC109, SC203, SC204, SC206, SC209, SC211, SC401 | across files |
| results.py | SC112, SC311, SC312 | analytics |
| editor.py | SC5xx | the editor set-up (frontmatter.json) |

Every diagnostic names one of these codes. The codes are stable: contributors search for them, and
the site's Rules page is generated from this catalogue. A new rule is one unit in its family's
module (with its examples, which tests/test_rules.py runs); nothing else needs to change.
"""

from __future__ import annotations

from types import ModuleType

from . import channels, editor, file, links, planning, results, schema, series
from .core import Corpus, Example, File, FileContext, Finding, Rule, Scope

FAMILIES: tuple[ModuleType, ...] = (file, schema, links, channels, series, planning, results, editor)


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
