"""`socialcal new`: a new post or campaign file, written once and never over another."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ConfigError
from .project import content_files, is_valid_id
from .safe_write import Exists, write

MAX_SLUG = 60
# The body of a new post until someone writes it; validation refuses it (SC314).
PLACEHOLDER = "TODO: write the text of the post here."
# The editors' post template (.frontmatter/templates/post.md, written by `socialcal editor-config`):
# Front Matter CMS fills in the title when it creates a post; a copy made by hand (the GitHub web
# editor) keeps both as written, and validation refuses them too (SC314).
TEMPLATE_TITLE = "{{title}}"
TEMPLATE_TEXT = "Write the text of the post here."


class NewFileError(Exception):
    pass


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def _dump(meta: dict[str, object]) -> str:
    # Block style, one key a line, so that adding a line never breaks the YAML; safe dumping
    # quotes whatever YAML would misread (colons, leading '#', 'yes', '12:30').
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


def render(meta: dict[str, object], body: str, stubs: str = "") -> str:
    """The file: front-matter, then commented stubs for what is still to fill in, then the body."""
    return f"---\n{_dump(meta)}{stubs}---\n\n{body.strip()}\n"


@dataclass(frozen=True)
class Needs:
    """What a post's channels (and series) ask of it: who requires a link, an image or video, alt text."""

    link: tuple[str, ...] = ()  # channel ids, and "the series <id>"
    media: tuple[str, ...] = ()  # channels that publish nothing without an image or a video
    alt: tuple[str, ...] = ()  # channels on which every image needs alt text (SC307)


def needs(channels: list, series: object = None) -> Needs:
    """`channels` are registry Channel entries, `series` the registry Series (or None)."""
    link = [c.id for c in channels if c.limits.link == "required"]
    if series is not None and getattr(series, "requires_link", False):
        link.append(f"the series {series.id}")  # type: ignore[attr-defined]
    return Needs(
        tuple(link),
        tuple(c.id for c in channels if c.limits.media == "required"),
        tuple(c.id for c in channels if c.limits.alt_text_required),
    )


def post_stubs(meta: dict[str, object], channels: list, series: object = None) -> str:
    """Commented lines for what the post's channels ask for and the command line did not give.

    `channels` are registry Channel entries, `series` the registry Series (or None)."""
    lines: list[str] = []
    need = needs(channels, series)
    if "link" not in meta:
        why = f"required by {', '.join(need.link)}" if need.link else "where the post leads, for the record"
        lines.append(f"# link: https://home.cern/…  # {why}")
    if "hashtags" not in meta and channels:
        most = min(c.limits.hashtags.max for c in channels)
        if most:
            lines += [
                f"# hashtags:  # at most {most}; the active ones are in content/hashtags.yml",
                '#   - "#CERN"',
            ]
    if "media" not in meta:
        why = f"required by {', '.join(need.media)}" if need.media else "an image or video, if there is one"
        lines += [
            f"# media:  # {why}",
            "#   - src: media/….jpg  # a file in the repository, or an https:// address",
            "#     alt: What the image shows, for people using screen readers",
        ]
    if lines:
        lines.insert(0, "# Remove the '# ' in front of a line to use it:")
    return "".join(line + "\n" for line in lines)


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(raw: str) -> dt.time:
    """A time of day written HH:MM; ValueError otherwise."""
    match = _TIME.match(raw.strip())
    if not match:
        raise ValueError(f"{raw.strip()[:40]!r} is not a time of day: write HH:MM, e.g. 10:00")
    return dt.time(int(match[1]), int(match[2]))


def default_time(value: object) -> dt.time:
    """content/settings.yml `default_time` (HH:MM): the time of a post given only a day."""
    if isinstance(value, dt.time):
        return value
    try:
        return parse_time(str(value))
    except ValueError as exc:
        raise ConfigError(f"content/settings.yml: default_time: {exc}") from exc


def with_time(raw: str, time: dt.time) -> str:
    """A date as given, with `time` added when it is a day alone (YYYY-MM-DD)."""
    text = raw.strip()
    return f"{text} {time:%H:%M}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else text


def media_src(raw: str, root: Path, cwd: Path) -> str:
    """A `--media` value as the post writes it: an address as given; a path to a file of the
    repository relative to the repository's root (the user may be in a sub-folder); else as given,
    for validation to explain (SC315). Compared as written, never resolved through a link."""
    text = raw.strip()
    if "://" in text:
        return text
    full = Path(os.path.normpath(cwd / text))
    if full.is_relative_to(root) and full.is_file():
        return full.relative_to(root).as_posix()
    return text


def media_entries(sources: list[str], alts: list[str]) -> list[dict[str, str]]:
    """`--media` and `--alt` paired in order, as the post's `media:` list (an image without alt
    text keeps no `alt` key: validation names it, SC307)."""
    if len(alts) > len(sources):
        raise NewFileError(f"{len(alts)} --alt for {len(sources)} --media: give one --alt after each --media")
    padded = [*alts, *[""] * (len(sources) - len(alts))]
    return [{"src": src, **({"alt": alt} if alt.strip() else {})} for src, alt in zip(sources, padded, strict=True)]


def target_path(content_dir: Path, kind: str, file_id: str, subfolder: str = "") -> Path:
    """The file for a new id, refusing anything that would land outside content/<kind>/.

    Compared as written, not resolved: a link on the way is refused when writing (safe_write),
    never followed out of the repository."""
    if not is_valid_id(file_id):
        raise NewFileError(f"'{file_id}' is not a valid id: use lower-case letters, digits and dashes, not 'index'")
    base = content_dir / kind
    folder = Path(os.path.normpath(base / subfolder)) if subfolder else base
    if folder != base and base not in folder.parents:
        raise NewFileError(f"'{subfolder}' is outside content/{kind}/")
    return folder / f"{file_id}.md"


def existing_ids(content_dir: Path, kind: str) -> set[str]:
    """The ids in use under `content_dir`/<kind>/ (the project's content/ folder)."""
    return {p.stem for p in content_files(content_dir.parent, kind)}


def write_new(path: Path, text: str, root: Path) -> None:
    """Create the file whole, inside the repository `root`; an existing file is never replaced.
    Other failures (a link on the way, a full disk) raise safe_write.NotWritten, nothing left behind."""
    try:
        write(path, text.encode("utf-8"), root, expected=None)
    except Exists as exc:
        raise NewFileError(f"{path} already exists: choose another id with --id") from exc

