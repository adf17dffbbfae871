"""How a registry file (content/*.yml) is read: as safely as a content file and bounded, with the
line of every key, into a frozen model; what the model refuses told as a diagnostic at its line.

A broken registry is a configuration error (exit code 2): nothing can be validated against it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from .errors import ConfigError
from .safe_write import read_regular

if TYPE_CHECKING:
    from .rules.core import Rule

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")  # pasted into CSS: nothing but a colour may pass
MAX_REGISTRY_BYTES = 1024 * 1024
MAX_REGISTRY_NODES = 100_000  # values after YAML aliases are expanded ("billion laughs")
MAX_REGISTRY_VALUE = 2000


def config_error(path: Path | str, line: int, rule: Rule, message: str, hint: str) -> ConfigError:
    """A registry problem, told like a diagnostic: file, line, rule code, hint. (The rule units are
    imported where a registry is read: generator/rules/ imports this module.)"""
    from .diagnostics import one_line

    where = f"{path}:{line}" if line else str(path)
    return ConfigError(f"{where}: error {rule.code} {one_line(message)}\n    hint: {one_line(hint)}")


# The model of every registry and its entries: immutable, no unknown key, no string without a bound.
class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_max_length=MAX_REGISTRY_VALUE)


# Where each key and list item of a registry is: its path from the top (keys, list indexes) → line.
Lines = dict[tuple[str | int, ...], int]
MAX_LOCATED_DEPTH = 8  # deeper than any registry goes; bounds the paths' cost (nodes × depth)


def _key_lines(root: yaml.Node) -> Lines:
    """The line of every key and list item of a registry, to the depth the models go (a loop: the
    nodes are bounded by `count_nodes`, and an alias is walked once per place it is used)."""
    lines: Lines = {}
    stack: list[tuple[tuple[str | int, ...], yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if len(path) >= MAX_LOCATED_DEPTH:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [((*path, str(k.value)), k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            children = [((*path, i), item, item) for i, item in enumerate(node.value)]
        else:
            continue
        for sub, mark, value in children:
            lines.setdefault(sub, mark.start_mark.line + 1)
            stack.append((sub, value))
    return lines


def line_of(lines: Lines, loc: tuple[str | int, ...]) -> int:
    """The line of the deepest key of `loc` that the file writes (for a missing key, its parent's)."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 0


def read_registry_yaml(path: Path) -> tuple[object, Lines]:
    """A registry file and the line of each key, read as safely as a content file: no link, no
    huge file, no alias bomb, no duplicate key, no control character."""
    from .content_file import SourceError, read_yaml
    from .rules.file import SC001, SC008, SC009

    if path.is_symlink():
        raise config_error(
            path, 0, SC009, "the registry is a symbolic link, which is never followed", "commit the file itself"
        )
    try:
        raw = read_regular(path, MAX_REGISTRY_BYTES + 1)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: missing registry file") from exc
    if len(raw) > MAX_REGISTRY_BYTES:
        raise config_error(
            path,
            0,
            SC008,
            f"the registry is larger than {MAX_REGISTRY_BYTES:,} bytes",
            "a registry lists accounts and policy: keep it small",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise config_error(path, line, SC001, "the registry is not UTF-8 text", "save it as UTF-8") from exc
    try:
        root, data = read_yaml(
            text, 1, node_limit=MAX_REGISTRY_NODES, multiline_keys=None, raw_checked=False, count_always=True
        )
    except SourceError as exc:
        raise config_error(path, exc.line, exc.rule, exc.message, exc.hint) from exc
    return data, (_key_lines(root) if root is not None else {})


def _field(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[type[BaseModel], FieldInfo | None]:
    """The model that holds the key at `loc`, and the deepest field of `loc` it has (None: none)."""
    info = None
    for part in loc:
        if info is not None:
            inner = info.annotation
            if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
                break  # inside a list or mapping of values: the field that holds them
            model = inner
        if not isinstance(part, str) or part not in model.model_fields:
            return model, None
        info = model.model_fields[part]
    return model, info


MAX_TOLD = 5  # problems of one registry told in its diagnostic


def _refusal(
    path: Path, lines: Lines, prefix: tuple[str | int, ...], model: type[BaseModel], exc: ValidationError, rule: Rule
) -> ConfigError:
    """A registry's values that its model refuses, told like a diagnostic: the first one's line,
    every problem with the value given, and what the key takes (its description) or which keys
    there are."""
    from .diagnostics import did_you_mean

    errors = exc.errors(include_url=False)
    parts = []
    for err in errors[:MAX_TOLD]:
        key = ".".join(str(p) for p in (*prefix, *err["loc"]))  # the path in the file
        if err["type"] == "extra_forbidden":
            parts.append(f"`{key}` is not a known key")
            continue
        if err["type"] == "model_type":
            what = "should be a mapping of `key: value` lines"
        else:
            what = err["msg"].removeprefix("Value error, ")
            if err["type"] not in ("value_error", "too_long"):  # our messages name the value; a list is long
                what += f" (got {repr(err['input'])[:60]})"
        parts.append(f"{key}: {what}" if key else what)
    if len(errors) > MAX_TOLD:  # the items of a long list: the first few say what is wrong
        parts.append(f"and {len(errors) - MAX_TOLD} more")
    first = tuple(errors[0]["loc"])
    holder, info = _field(model, first)
    if errors[0]["type"] == "extra_forbidden":
        keys = [k for k in holder.model_fields if k != "id"]
        close = did_you_mean(str(first[-1]), keys)
        hint = (f"did you mean `{close}`? " if close else "") + f"the keys here are {', '.join(keys)}"
    elif info is not None and info.description:
        hint = info.description
    else:
        hint = f"see the comments at the top of {path.name}"
    return config_error(path, line_of(lines, (*prefix, *first)) or 1, rule, "; ".join(parts), hint)


def check_id(path: Path, line: int, kind: str, key: object) -> str:
    from .ids import is_valid_id  # ids become file names, URLs, CSS classes and feed UIDs
    from .rules.declared import SC502

    text = str(key)
    if not is_valid_id(text):
        raise config_error(
            path,
            line,
            SC502,
            f"the {kind} id {text!r} is not an id",
            "ids are lower-case letters, digits and dashes, not 'index' (they become file names and addresses)",
        )
    return text


def keyed(path: Path, model: type[BaseModel], raw: object, lines: Lines) -> dict:
    from .rules.declared import SC103, SC503

    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of id → entry")
    out = {}
    kind = path.stem.removesuffix("s")
    for key, entry in raw.items():
        line = lines.get((str(key),), 0)
        cid = check_id(path, line, kind, key)
        if not isinstance(entry, dict):
            raise config_error(path, line, SC103, f"entry {cid!r} must be a mapping", "write `key: value` lines")
        color = entry.get("color")
        if color is not None and not (isinstance(color, str) and COLOR.match(color)):
            raise config_error(
                path,
                line,
                SC503,
                f"the colour of {cid!r} is {str(color)[:40]!r}, not a colour",
                "write a colour as #rrggbb, e.g. #0f5c9e",
            )
        try:
            out[cid] = model.model_validate({"id": cid, **entry})
        except ValidationError as exc:
            enum = _unknown_value(path, lines, (str(key),), exc)
            if enum is not None:
                raise enum from exc
            raise _refusal(path, lines, (str(key),), model, exc, SC103) from exc
    return out


_EXPECTED = re.compile(r"'([^']*)'")


def _unknown_value(path: Path, lines: Lines, prefix: tuple[str | int, ...], exc: ValidationError) -> ConfigError | None:
    """A value that is not one of a field's choices (`platform: twiter`), told at its line with the
    likely intended one; None when the error is another kind. `prefix` is where the validated
    mapping sits in the file (a channel's id)."""
    from .diagnostics import unknown
    from .rules.declared import SC506

    for err in exc.errors():
        if err["type"] != "literal_error":
            continue
        loc = tuple(err["loc"])
        # pydantic lists the choices as their reprs: 'required', 'allowed' or 'forbidden'.
        choices = _EXPECTED.findall(str(err.get("ctx", {}).get("expected", "")))
        field = ".".join(part for part in loc if isinstance(part, str))  # weekdays, not weekdays.0
        message, guess = unknown("value", str(err["input"])[:80], choices)
        where = "".join(f"entry {part!r}: " for part in prefix)
        hint = f"write '{guess}'" if guess else f"write one of: {', '.join(choices)}"
        return config_error(path, line_of(lines, (*prefix, *loc)), SC506, f"{where}{field}: {message}", hint)
    return None


def mapping_model(
    path: Path, model: type[BaseModel], read: tuple[object, Lines], rule: Rule | None = None
) -> BaseModel:
    """A registry that is one mapping (settings.yml, hashtags.yml, …) as its model; `rule` names
    what a refused value breaks (by default SC103, a wrong type or value)."""
    from .rules.declared import SC103

    raw, lines = read
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise _refusal(path, lines, (), model, exc, rule or SC103) from exc
