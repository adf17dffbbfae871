"""Pages from templates: the Jinja environment, its filters, and what every template can use.

User text only ever reaches a page through Jinja's autoescaping, inside raw HTML blocks that
Markdown leaves alone, so `<script>` or `*stars*` in a caption show as written.
"""

from __future__ import annotations

import calendar as pycal
import json
import re
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ... import kpis, urls
from ...cache import digest
from ...calendar import Calendar
from ...markup import render as render_markdown
from ...markup import safe_target
from ...models import AWAITING_REVIEW, POST_STATUSES, Post
from ...registry import WEEKDAY_NAMES


def safe_href(url: str) -> str:
    """A user-given address becomes a link only when it passes the address check (never javascript:)."""
    return url if safe_target(url) else "#"


_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline_code(text: str) -> Markup:
    """The rule catalogue's descriptions: escaped text, with `code` spans shown as code."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def markdown_text(text: str) -> Markup:
    """A campaign plan is Markdown: rendered here without raw HTML or attribute lists, every link
    checked after parsing (generator/markup.py); MkDocs receives it as a finished HTML block."""
    return render_markdown(text)


def page_title(text: str) -> Markup:
    """A page title for the front-matter, which MkDocs and Material put unescaped into <title>,
    the header, the navigation and the search index: escaped for HTML, then quoted for YAML."""
    return Markup(json.dumps(str(escape(" ".join(str(text).split()))), ensure_ascii=False))


@lru_cache(maxsize=4)
def environment(templates: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(templates) / "pages")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["page_title"] = env.filters["yaml_str"] = page_title
    env.filters["day"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
    env.filters["short_day"] = lambda d: f"{d:%a} {d.day} {d:%b}"
    env.filters["time"] = lambda d: f"{d:%H:%M}"
    env.filters["plural"] = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"
    env.filters["markdown_text"] = markdown_text
    env.filters["inline_code"] = inline_code
    env.filters["safe_href"] = safe_href
    env.filters["weekday"] = lambda d: WEEKDAY_NAMES.get(d, d)
    env.filters["ym_name"] = lambda ym: f"{pycal.month_name[ym[1]]} {ym[0]}"
    env.filters["num"] = lambda v, digits=0: "—" if v is None else f"{v:,.{digits}f}"
    env.globals["urls"] = urls
    return env


class Renderer:
    """Renders one template for one page: links are relative to the page (`link`, `base`)."""

    def __init__(self, templates: Path, banner: Sequence[str] = ()) -> None:
        self.templates = templates
        self.env = environment(str(templates))
        self.banner = tuple(banner)

    @cached_property
    def _templates(self) -> str:
        files = sorted((self.templates / "pages").glob("*.j2"))
        return digest([(f.name, f.read_bytes()) for f in files])

    def __fingerprint__(self) -> tuple[str, tuple[str, ...]]:
        """What a page depends on besides its context: the templates and the error banner."""
        return self._templates, self.banner

    def render(self, template: str, src: str, cal: Calendar, **context: object) -> str:
        def link(target: str, anchor: str = "") -> str:
            return urls.href(src, target, anchor)

        def post_href(post: Post) -> str:
            return link(urls.month_page(post.day), urls.post_anchor(post.id))

        return self.env.get_template(template).render(
            cal=cal,
            reg=cal.registry,
            today=cal.today,
            base=urls.base_for(src),
            link=link,
            post_href=post_href,
            statuses=POST_STATUSES,
            awaiting=AWAITING_REVIEW,
            kpi_of=lambda r: kpis.totals([r]),
            banner=self.banner,
            **context,
        )
