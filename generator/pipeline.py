"""The plan: a project turned into its validated, modelled calendar. Every command starts here.

load → validate → (provenance) → calendar, in one place, so no command builds a second,
slightly different model (one without provenance, one without today) of the same files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .cache import NO_MEMO, Memo
from .calendar_model import Calendar
from .errors import ConfigError
from .project import Project
from .provenance import Provenance
from .registry import Registry
from .validate import Validation, validate


@dataclass(frozen=True)
class Plan:
    project: Project
    registry: Registry
    validation: Validation
    calendar: Calendar

    @property
    def provenance(self) -> Provenance:
        return self.calendar.provenance


def resolve_today(tz: dt.tzinfo) -> dt.date:
    """Today in the calendar's zone; SOCIALCAL_TODAY=YYYY-MM-DD pins it (tests, reproducible builds)."""
    pinned = os.environ.get("SOCIALCAL_TODAY")
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError as exc:
            raise ConfigError(f"SOCIALCAL_TODAY={pinned!r} is not YYYY-MM-DD") from exc
    return dt.datetime.now(tz).date()


def resolve_now(tz: dt.tzinfo) -> dt.datetime:
    """Now in the calendar's zone; with SOCIALCAL_TODAY pinned, the start of that day (the one clock)."""
    if os.environ.get("SOCIALCAL_TODAY"):
        return dt.datetime.combine(resolve_today(tz), dt.time(0, 0), tz)
    return dt.datetime.now(tz)


def make_plan(
    project: Project,
    *,
    history: bool = True,
    memo: Memo = NO_MEMO,
    keep_files: bool = False,
    file_cache: bool = False,
    compose: bool = False,
) -> Plan:
    """The project as one calendar. `history=False` skips reading git (commands that show no
    provenance: validate, report), which costs a git process and the GitPython import.
    `keep_files`: the validation keeps what cross-file rules read (to check pull requests against).
    `file_cache`: files unchanged since the last run are not parsed and checked again (validate_cache.py).
    `compose`: the posts' outgoing texts are composed as the files are checked (on both cores), for
    commands that show them all (build, serve)."""
    registry = project.registry()
    today = resolve_today(registry.settings.tz)
    validation = validate(
        project.root, registry, memo, keep_files=keep_files, today=today, file_cache=file_cache, compose=compose
    )
    if history:
        from .provenance import read_provenance

        provenance = read_provenance(project.root)
    else:
        provenance = Provenance()
    calendar = Calendar(
        registry=registry,
        posts=validation.posts,
        campaigns=validation.campaigns,
        today=today,
        provenance=provenance,
        diagnostics=validation.diagnostics,
        precomposed=validation.outgoing,
    )
    return Plan(project, registry, validation, calendar)
