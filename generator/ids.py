"""What an id is: of a post, a campaign (its file name), a channel, a series or an audience.

A leaf: the registries (which check their ids, SC502) and the project's files (SC111) both use it.
"""

from __future__ import annotations

import re

# A post's or campaign's id is its file name without `.md` (rule SC111; `socialcal new --id`).
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


# The name engines give a folder's own page: a post, campaign or channel called so would get the
# address of its list's page (posts/index.md is served as posts/, a level up from its links).
RESERVED_IDS = frozenset({"index"})


def is_valid_id(text: str) -> bool:
    return ID_PATTERN.fullmatch(text) is not None and text not in RESERVED_IDS
