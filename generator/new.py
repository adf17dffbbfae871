"""`socialcal new`: a new post or campaign file, written once and never over another."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from .project import content_files, is_valid_id

MAX_SLUG = 60


class NewFileError(Exception):
    pass


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def _dump(meta: dict[str, object]) -> str:
    # Safe dumping quotes whatever YAML would misread (colons, leading '#', 'yes', '12:30').
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)


def render(meta: dict[str, object], body: str) -> str:
    return f"---\n{_dump(meta)}---\n\n{body.strip()}\n"


def target_path(content_dir: Path, kind: str, file_id: str, subfolder: str = "") -> Path:
    """The file for a new id, refusing anything that would land outside content/<kind>/."""
    if not is_valid_id(file_id):
        raise NewFileError(f"'{file_id}' is not a valid id: use lower-case letters, digits and dashes")
    base = (content_dir / kind).resolve()
    folder = (base / subfolder).resolve() if subfolder else base
    if folder != base and base not in folder.parents:
        raise NewFileError(f"'{subfolder}' is outside content/{kind}/")
    return folder / f"{file_id}.md"


def existing_ids(content_dir: Path, kind: str) -> set[str]:
    """The ids in use under `content_dir`/<kind>/ (the project's content/ folder)."""
    return {p.stem for p in content_files(content_dir.parent, kind)}


def write_new(path: Path, text: str) -> None:
    """Create the file; an existing file is never replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError as exc:
        raise NewFileError(f"{path} already exists: choose another id with --id") from exc
