"""The catalogue of validation rules: one unit per rule (see core.py), one module per family.

- file.py: the file itself (SC0xx, checked while it is read)
- fields.py: keys, types, dates, audiences, file names (SC1xx)
- links.py: where a post leads (its link, URLs in its text)
- channel_fit.py: which accounts, and what each accepts (text, hashtags, media)
- series_format.py: recurring formats, one post at a time
- planning.py: rules across files (ids, references, cadence, clashes)
- analytics.py: analytics (`results`)
- media_checks.py: the files a post's media name (checked in the repository, thumbnailed at build)
- repository.py: the repository's set-up: the editor configuration and the registries (SC5xx)
- scheduler_limits.py: what a scheduling tool's bulk upload would refuse (SC6xx, `socialcal export`)
- declared.py: the rules the loader, the date parser and the registry reader check as they read,
  declared apart from the checks above so that those low modules import nothing above them

The package itself imports only the rule unit (core.py): importing a low module's declarations
does not load every check. The catalogue of all the rules is `catalogue.py`.

Every diagnostic names one of these codes. The codes are stable: contributors search for them, and
the site's Rules page is generated from the catalogue. A new rule is one unit in its family's
module (with its examples, which tests/test_rules.py runs); nothing else needs to change.
"""

from __future__ import annotations

from .core import Corpus, Example, File, FileContext, Finding, Rule, Scope

__all__ = ["Corpus", "Example", "File", "FileContext", "Finding", "Rule", "Scope"]
