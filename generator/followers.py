"""content/followers.yml: a channel's followers at the end of each month, read and checked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .registry_reading import config_error, line_of, read_registry_yaml

if TYPE_CHECKING:
    from .registry import Channel

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_FOLLOWERS = 10_000_000_000  # more than anyone has: a typo of a few digits, not a count


def read_followers(path: Path, channels: dict[str, Channel], years: tuple[int, int]) -> dict[str, dict[str, int]]:
    """content/followers.yml (absent: none): per channel of channels.yml, per month written
    YYYY-MM within the calendar's years, a whole number of followers (SC507 at its line)."""
    from .diagnostics import unknown
    from .rules.declared import SC507

    if not (path.exists() or path.is_symlink()):
        return {}
    raw, lines = read_registry_yaml(path)
    if raw is None:
        return {}

    def refuse(loc: tuple[str | int, ...], message: str, hint: str) -> ConfigError:
        return config_error(path, line_of(lines, loc) or 1, SC507, message, hint)

    if not isinstance(raw, dict):
        raise refuse(
            (), "should be a mapping of channel ids", "write `channel-id:` lines, each with `YYYY-MM: count` lines"
        )
    out: dict[str, dict[str, int]] = {}
    for key, months in raw.items():
        cid = str(key)
        if cid not in channels:
            message, guess = unknown("channel", cid[:80], channels)
            raise refuse(
                (cid,), message, f"write '{guess}'" if guess else f"the channels are in {path.parent.name}/channels.yml"
            )
        if not isinstance(months, dict):
            raise refuse((cid,), f"{cid}: should be a mapping of `YYYY-MM: followers` lines", "e.g. 2026-01: 125000")
        counts: dict[str, int] = {}
        for month, count in months.items():
            written = str(month)
            match = MONTH.match(written) if isinstance(month, str) else None
            if match is None:
                shown = repr(month)[:40]
                raise refuse(
                    (cid, written), f"{cid}: {shown} is not a month written YYYY-MM", "e.g. 2026-01 (January 2026)"
                )
            if not years[0] <= int(match[1]) <= years[1]:
                raise refuse(
                    (cid, written),
                    f"{cid}: {written} is outside the years {years[0]} to {years[1]}",
                    "years.first and years.last in settings.yml",
                )
            if type(count) is not int or not 0 <= count <= MAX_FOLLOWERS:
                raise refuse(
                    (cid, written),
                    f"{cid}: {written}: {repr(count)[:40]} is not a number of followers",
                    f"a whole number from 0 to {MAX_FOLLOWERS:,}, without separators (125000)",
                )
            counts[written] = count
        out[cid] = dict(sorted(counts.items()))
    return out
