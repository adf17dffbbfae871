"""Markdown written by contributors (a campaign's plan and evaluation), rendered safely.

Parsed by Python-Markdown with no raw HTML (a `<script>` is text) and no attribute lists (no
`{: onerror=… }`), then every element is checked in the parsed tree: links keep a target only
when it passes the address check (generator/linkcheck.py) or is a mailto: address, images become their
alt text (the site loads nothing from other hosts), and no attribute survives but the few the
tree's own elements need. Checking after parsing covers every way Markdown has to write a link
(inline, reference definitions anywhere, autolinks).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

from .linkcheck import address_problem

_MAILTO = re.compile(r"^mailto:[^\s@<>\"'\\]+@[A-Za-z0-9.-]+$")
_ALIGN = re.compile(r"^text-align: (?:left|right|center);$")
_KEEP = {"a": {"href", "title"}, "th": {"align", "style"}, "td": {"align", "style"}}


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    image: bool


def safe_target(url: str) -> bool:
    return bool(_MAILTO.match(url)) or address_problem(url, None) is None


class _Guard(Treeprocessor):
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.targets: list[Target] = []

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for el in list(parent):
                if el.tag == "img":
                    self.targets.append(Target(el.get("src", ""), True))
                    text = el.get("alt", "")
                    el.tag, el.text = "span", f"[image: {text}]" if text else "[image]"
                    el.attrib.clear()
                    el.set("class", "sc-image-ref")
                    continue
                if el.tag == "a":
                    href = el.get("href", "")
                    if href.startswith(AMP_SUBSTITUTE):  # an <address@example.org> autolink, encoded
                        href = html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
                        el.set("href", href)
                    self.targets.append(Target(href, False))
                    if not safe_target(href):
                        el.tag = "span"
                        el.attrib.clear()
                        el.set("class", "sc-unsafe-link")
                        continue
                    el.set("rel", "noopener nofollow")
                keep = _KEEP.get(el.tag, set())
                for name in list(el.attrib):
                    if name in ("rel", "class") and el.tag in ("a", "span"):
                        continue
                    if name not in keep or (name == "style" and not _ALIGN.match(el.get(name, ""))):
                        del el.attrib[name]


def _parser() -> tuple[markdown.Markdown, _Guard]:
    md = markdown.Markdown(extensions=["tables"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks are text
    md.inlinePatterns.deregister("html")  # and so are inline tags
    guard = _Guard(md)
    md.treeprocessors.register(guard, "sc-guard", 0)  # after every other tree change
    return md, guard


def render(text: str) -> Markup:
    """HTML for a page, safe to place as it is (inside a raw HTML block of the page)."""
    md, _ = _parser()
    return Markup(f'<div class="sc-markdown">\n{md.convert(text)}\n</div>')


def targets(text: str) -> list[Target]:
    """Every link and image target in `text`, as a browser would get it after parsing."""
    md, guard = _parser()
    md.convert(text)
    return guard.targets
