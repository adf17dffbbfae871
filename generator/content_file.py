"""Reading one content file: bytes → text → front-matter (with the position of every key) + body.

Any problem with the file itself becomes a `SourceError` carrying its rule (generator/rules/file.py)
and a position; nothing in user input may raise anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from frontmatter.default_handlers import YAMLHandler

from . import characters
from .diagnostics import Pos
from .rules.core import Rule
from .rules.file import SC001, SC002, SC003, SC004, SC005, SC006, SC007, SC008, SC010, SC011

# The YAML loader of every file socialcal reads (content, registries, mkdocs.yml): the safe one, in C when built.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Anchors and aliases may share sub-trees; expanding them must stay small ("billion laughs").
MAX_NODES = 5000
# A content file is a post or a campaign plan, not a data dump: bigger files are refused unread.
MAX_FILE_BYTES = 256 * 1024
# Top-level keys whose values may span lines (the text of the post per channel); every other
# value is one line.
MULTILINE_KEYS = frozenset({"variants"})
_LINE_BREAK = re.compile("\n")
# Once raw control characters are refused, only these can put a line break or a control
# character in a value: an escape, a block scalar, a blank line inside a scalar.
_MAY_BREAK = re.compile(r"[\\|>]|\n[ \t]*\n")
# Keys whose raw text is kept: YAML would turn `2027-01-15` into a date and `12:30` into 750.
RAW_KEYS = frozenset({"date", "start", "end"})

_HANDLER = YAMLHandler()


@dataclass(slots=True)
class Source:
    """A parsed content file: its front-matter values and where each one was written."""

    meta: dict[str, object]
    body: str
    body_line: int
    keys: dict[str, Pos] = field(default_factory=dict)  # where each key is written
    values: dict[str, Pos] = field(default_factory=dict)  # where each value starts
    items: dict[str, list[Pos]] = field(default_factory=dict)  # list values: each item
    raw: dict[str, str] = field(default_factory=dict)  # RAW_KEYS as written

    def at(self, key: str, index: int | None = None) -> Pos:
        return _at(self.keys, self.values, self.items, key, index)

    def positions(self) -> Positions:
        """Where things are written, which is all the cross-file rules read of a file."""
        return Positions(
            {k: (p.line, p.col) for k, p in self.keys.items()},
            {k: (p.line, p.col) for k, p in self.values.items()},
            {k: [(p.line, p.col) for p in ps] for k, ps in self.items.items()},
        )


@dataclass(slots=True)
class Positions:
    """A file's positions without its values, as plain tuples: they travel from the forked child
    that loaded the file (generator/parallel.py), and named tuples unpickle ten times slower."""

    keys: dict[str, tuple[int, int]]
    values: dict[str, tuple[int, int]]
    items: dict[str, list[tuple[int, int]]]

    def at(self, key: str, index: int | None = None) -> Pos:
        return Pos(*_at(self.keys, self.values, self.items, key, index))


def _at(keys: dict, values: dict, items: dict, key: str, index: int | None) -> Pos:
    """Where the item `index` of list `key` is written, else its value, else its key, else the
    top of the file."""
    if index is not None and key in items and index < len(items[key]):
        return items[key][index]
    return values.get(key) or keys.get(key) or Pos(1, 1)


class SourceError(Exception):
    def __init__(self, rule: Rule, message: str, hint: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.rule, self.message, self.hint, self.line, self.col = rule, message, hint, line, col

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def pos(self) -> Pos:
        return Pos(self.line, self.col)


def unsafe_error(text: str, start: int, where: str, line: int, col: int) -> SourceError:
    """SC010 for the character at `start` of `text` (characters.TABLE: a control, a bidirectional
    override, an invisible character out of its place), found at `line`:`col`."""
    what, hint = characters.refusal(text, start)
    return SourceError(SC010, f"{where} contains {what}", hint, line, col)


# Byte-order marks an editor writes at the start of text it saves in UTF-16 or UTF-32; UTF-32's
# first (its little-endian mark begins with UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_SNIFF = 1024  # bytes looked at for NULs


def wide_encoding(data: bytes) -> str | None:
    """The encoding ("UTF-16" or "UTF-32") the file is text in, else None: it starts with that
    encoding's byte-order mark, or, without one, it is Latin text: NUL in every byte of each 2 (or
    4) but one."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                data.decode(name)  # the whole file is bounded (MAX_FILE_BYTES)
            except UnicodeDecodeError:
                return None  # binary after all, with those bytes first
            return name
    head = data[:_SNIFF]
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = len(head) // width
        if units < 2:
            continue
        nuls = [head[k : units * width : width].count(0) for k in range(width)]
        # One byte of each unit carries the text (at most a tenth of them NUL), the others are
        # the zeros of its code point (at least nine in ten NUL).
        text = [k for k in range(width) if nuls[k] * 10 <= units]
        if len(text) == 1 and all(nuls[k] * 10 >= units * 9 for k in range(width) if k != text[0]):
            return name
    return None


def decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(
            SC008,
            f"the file is {len(data):,} bytes; content files are at most {MAX_FILE_BYTES:,}",
            "a post or campaign is text: keep images and data elsewhere, and split a long plan",
        )
    if not data.strip():
        raise SourceError(SC007, "the file is empty", "start from `socialcal new post`, or delete the file")
    wide = wide_encoding(data)
    if wide:
        raise SourceError(
            SC001,
            f"the file is saved as {wide}, not UTF-8",
            "save it as UTF-8 in your editor (VS Code: click the encoding in the status bar, "
            "then 'Save with Encoding', 'UTF-8')",
        )
    if b"\x00" in data:
        raise SourceError(
            SC001,
            "this is a binary file, not a Markdown text",
            "content files are UTF-8 text; keep images elsewhere and name them in `media:`",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            SC001,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8 in your editor",
            line,
        ) from exc
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    start = characters.unsafe_at(text)
    reference = characters.unsafe_reference(text)
    if reference is not None and (start < 0 or reference[0] < start):
        at, written, char = reference
        what, hint = characters.refusal(char, 0)
        line = text.count("\n", 0, at) + 1
        raise SourceError(SC010, f"the file contains {written}, {what}", hint, line, at - text.rfind("\n", 0, at))
    if start >= 0:
        line = text.count("\n", 0, start) + 1
        raise unsafe_error(text, start, "the file", line, start - text.rfind("\n", 0, start))
    return text


def count_nodes(root: yaml.Node, line: int, limit: int = MAX_NODES) -> None:
    seen = 0
    stack = [root]
    while stack:
        node = stack.pop()
        seen += 1
        if seen > limit:
            raise SourceError(
                SC006,
                f"the YAML expands to more than {limit} values",
                "remove YAML anchors and aliases (&name, *name); write the values out",
                line,
                1,
            )
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def check_tree(
    root: yaml.Node, offset: int, multiline_keys: frozenset[str] | None = MULTILINE_KEYS, scalars: bool = True
) -> None:
    """Every key once per mapping; no control character in any value, no line break in a one-line
    value (with `multiline_keys` None, line breaks are allowed everywhere). `scalars=False` skips
    the values, for a text that cannot produce a control character or line break in one: no
    escape (\\), no block scalar (| >), and raw control characters already refused."""
    stack: list[tuple[yaml.Node, bool]] = [(root, multiline_keys is None)]
    seen: set[int] = set()
    while stack:
        node, multiline = stack.pop()
        if id(node) in seen:  # an alias: the same node again
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if not scalars:
                continue
            value = str(node.value)
            start = characters.unsafe_at(value)
            if start >= 0:
                pos = _pos(node, offset)  # the value's start: in a content file, decode() found the raw ones
                raise unsafe_error(value, start, "the value", pos.line, pos.col)
            if not multiline and _LINE_BREAK.search(value.strip()):
                pos = _pos(node, offset)
                raise SourceError(
                    SC010,
                    "a line break in a one-line value",
                    "write the value on one line (only the text of the post and its variants span lines)",
                    pos.line,
                    pos.col,
                )
        elif isinstance(node, yaml.MappingNode):
            names: set[str] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    name = str(key_node.value)
                    if name in names:
                        raise _written_twice(name, key_node, offset)
                    names.add(name)
                    child_multiline = multiline or (node is root and name in (multiline_keys or ()))
                else:
                    child_multiline = multiline
                stack.append((key_node, False))
                stack.append((value_node, child_multiline))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, multiline) for item in node.value)


def parse(text: str) -> Source:
    """Split front-matter from body and read the YAML with positions, safely."""
    if not _HANDLER.detect(text):
        raise SourceError(
            SC002,
            "the file does not start with a front-matter block",
            "put the post's fields between two lines of three dashes (---) at the top",
            1,
            1,
        )
    boundaries = list(_HANDLER.FM_BOUNDARY.finditer(text))  # type: ignore[union-attr]
    if len(boundaries) < 2:
        raise SourceError(
            SC002,
            "the front-matter block is not closed",
            "end the fields with a line of three dashes (---)",
            1,
            1,
        )
    start, end = boundaries[0], boundaries[1]
    # The boundary pattern may swallow blank lines after the dashes: count lines, not matches.
    first_line = text.count("\n", 0, start.end()) + 1
    fm_text = text[start.end() : end.start()]
    # YAML marks are 0-based from the start of fm_text, which begins on line `first_line`.
    offset = first_line
    body_start = end.end()
    body = text[body_start:]
    body_line = text.count("\n", 0, body_start) + 1
    stripped = body.lstrip("\n")
    body_line += len(body) - len(stripped)
    meta, keys, values, items, raw = _read_yaml(fm_text, offset)
    return Source(meta, stripped.rstrip(), body_line, keys, values, items, raw)


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def _plain(loader: yaml.BaseLoader, node: yaml.Node, offset: int) -> object:
    """Construct a node tree without aliases or tags: strings, lists and mappings directly,
    anything else (numbers, booleans, null) through the safe constructor. Five times faster than
    the generic path on typical front-matter, which is nearly all strings. A key written twice in
    one mapping is refused here (SC011), in the same walk."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_plain(loader, item, offset) for item in node.value]
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        out = {}
        names: set[str] = set()
        for key_node, value_node in node.value:
            key = _plain(loader, key_node, offset)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    )
                key = key_node.value  # a date or time as a key: its text, as written (2026-03-01)
            if isinstance(key_node, yaml.ScalarNode):
                name = str(key_node.value)
                if name in names:
                    raise _written_twice(name, key_node, offset)
                names.add(name)
            out[key] = _plain(loader, value_node, offset)
        return out
    return loader.construct_object(node, deep=True)


def _written_twice(name: str, key_node: yaml.Node, offset: int) -> SourceError:
    pos = _pos(key_node, offset)
    return SourceError(
        SC011,
        f"the key '{name[:60]}' is written twice (YAML would silently keep the last one)",
        "keep one of the two lines",
        pos.line,
        pos.col,
    )


def _pos(node: yaml.Node, offset: int) -> Pos:
    return Pos(node.start_mark.line + offset, node.start_mark.column + 1)


def read_yaml(
    text: str,
    offset: int = 1,
    *,
    node_limit: int = MAX_NODES,
    multiline_keys: frozenset[str] | None = MULTILINE_KEYS,
    raw_checked: bool = True,
    count_always: bool = False,
) -> tuple[yaml.Node | None, object]:
    """The one hardened YAML reader, of a post's or campaign's front-matter and of the registries:
    the safe loader, tags refused (SC005), no alias bomb (SC006: at most `node_limit` values once
    aliases are expanded; counted only when the text has an alias unless `count_always`), every key
    once per mapping (SC011), no control character in a value and no line break in a one-line value
    (SC010; `multiline_keys` None: line breaks anywhere), anything else malformed SC003. Returns the
    root node (None: an empty document) and the data. `raw_checked`: the text's raw characters
    were refused already (`decode`), so only an escape or a block scalar can make a control
    character, and values without either are not walked again. `offset`: the line of the text's first line."""
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        if count_always or "*" in text:  # only aliases can make a small text expand
            count_nodes(root, offset, node_limit)
        scalars = not raw_checked or bool(_MAY_BREAK.search(text))
        if "*" in text or "<<" in text or "!" in text:
            data = loader.construct_document(root)  # aliases, merges or tags: the full constructor
            check_tree(root, offset, multiline_keys, scalars=scalars)
        else:
            data = _plain(loader, root, offset)  # refuses keys written twice
            if scalars:
                check_tree(root, offset, multiline_keys, scalars=True)
        return root, data
    except SourceError:
        raise
    except yaml.reader.ReaderError as exc:  # a character YAML does not read at all
        line = text.count("\n", 0, exc.position) + offset if isinstance(exc.position, int) else offset
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)[:1] or "?"
        raise SourceError(
            SC010, f"the file contains the control character {characters.describe(char)}", "remove it", line, 0
        ) from exc
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark else offset
        col = mark.column + 1 if mark else 0
        if exc.problem and "tag" in exc.problem:
            raise SourceError(
                SC005,
                f"YAML tag not allowed: {exc.problem.strip()}",
                "remove the `!!` tag; write the value as plain text",
                line,
                col,
            ) from exc
        raise SourceError(SC003, f"malformed YAML: {exc.problem}", "check the quoting on this line", line, col) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark and _tab_indented(text, mark.line, exc.problem or ""):
            raise SourceError(
                SC003,
                "malformed YAML: a tab is used for indentation, and YAML does not allow tabs",
                "indent with spaces instead of the tab (two spaces per level)",
                mark.line + offset,
                1,
            ) from exc
        if exc.context_mark and mark and mark.line >= text.rstrip("\n").count("\n"):
            # The parser noticed at the end of the block (an unclosed bracket or quote): point
            # at where the unfinished construct started.
            mark = exc.context_mark
        line = mark.line + offset if mark else offset
        col = mark.column + 1 if mark else 0
        raise SourceError(
            SC003,
            f"malformed YAML: {exc.problem or exc.context}",
            "quote values that contain ': ' or start with # * & ! [ {, e.g. title: \"Guess what: this is\"",
            line,
            col,
        ) from exc
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise SourceError(SC003, f"malformed YAML: {exc}", "check the YAML's syntax", offset, 0) from exc
    finally:
        loader.dispose()


def _read_yaml(fm_text: str, offset: int):
    root, data = read_yaml(fm_text, offset)
    if root is None:
        raise SourceError(SC004, "the front-matter is empty", "add at least title, date and channel", offset + 1, 1)
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise SourceError(
            SC004,
            f"the front-matter is {kind}, not a set of `key: value` lines",
            "write one `key: value` per line, e.g. `title: LHC restarts`",
            *_as_tuple(_pos(root, offset)),
        )

    keys: dict[str, Pos] = {}
    values: dict[str, Pos] = {}
    items: dict[str, list[Pos]] = {}
    raw: dict[str, str] = {}
    meta: dict[str, object] = {}
    for key_node, value_node in root.value:
        name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        keys[name] = _pos(key_node, offset)
        values[name] = _pos(value_node, offset)
        if isinstance(value_node, yaml.SequenceNode):
            items[name] = [_pos(n, offset) for n in value_node.value]
        if name in RAW_KEYS and isinstance(value_node, yaml.ScalarNode):
            raw[name] = value_node.value
    for key, value in data.items():
        meta[str(key)] = value
    return meta, keys, values, items, raw


def _tab_indented(fm_text: str, line: int, problem: str) -> bool:
    lines = fm_text.split("\n")
    text = lines[line] if 0 <= line < len(lines) else ""
    return "'\\t'" in problem or "\t" in text[: len(text) - len(text.lstrip())]


def _as_tuple(pos: Pos) -> tuple[int, int]:
    return pos.line, pos.col
