"""Pages from templates: the Jinja environment, its filters, and what every template can use.

User text only ever reaches a page through Jinja's autoescaping, inside raw HTML blocks that
Markdown leaves alone, so `<script>` or `*stars*` in a caption show as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

from ... import date_formats, kpis, urls
from ...cache import digest
from ...calendar_model import Calendar
from ...diagnostics import CODE_SPAN, Diagnostic
from ...docs_tree import cut
from ...github_links import RepoLinks
from ...markup import render as render_markdown
from ...markup import safe_target
from ...models import CampaignStatus, Post, PostStatus
from ...project import is_valid_id, layered_files
from ...registry import WEEKDAY_NAMES
from ...text_counting import URL_IN_TEXT

if TYPE_CHECKING:
    from ...proposals import Proposal


def safe_href(url: str) -> str:
    """A user-given address becomes a link only when it passes the address check (never javascript:)."""
    return url if safe_target(url) else "#"


def inline_code(text: str) -> Markup:
    """Rule descriptions, diagnostics' messages and hints: escaped text, `code` spans shown as code."""
    return Markup(CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def markdown_text(text: str) -> Markup:
    """A campaign plan is Markdown: rendered here without raw HTML or attribute lists, every link
    checked after parsing (generator/markup.py); MkDocs receives it as a finished HTML block."""
    return render_markdown(text)


def page_title(text: str) -> Markup:
    """A page title for the front-matter, which MkDocs and Material put unescaped into <title>,
    the header, the navigation and the search index: escaped for HTML, then quoted for YAML."""
    return Markup(json.dumps(str(escape(" ".join(str(text).split()))), ensure_ascii=False))


# What a network shows in colour in a post's text: addresses, hashtags and mentions.
_RICH = re.compile(
    rf"(?P<url>{URL_IN_TEXT.pattern.removeprefix('(?i)')})|(?P<tag>(?<![\w&])#\w*[^\W\d_]\w*)|(?P<at>(?<![\w@])@\w+)",
    re.IGNORECASE,
)


def rich_text(text: str) -> Markup:
    """A post's text, escaped, with its addresses, hashtags and mentions marked as the networks
    colour them (spans, not links: nothing in user text becomes clickable)."""
    out = []
    pos = 0
    for match in _RICH.finditer(text):
        out.append(str(escape(text[pos : match.start()])))
        kind = match.lastgroup if match.lastgroup in ("tag", "at") else "url"
        out.append(f'<span class="sc-pv-{kind}">{escape(match.group(0))}</span>')
        pos = match.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def raised_in_template(exc: BaseException) -> bool:
    """The error comes from a template (a Jinja error, or any error a template's code raised)."""
    if isinstance(exc, jinja2.TemplateError):
        return True
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            return True
        tb = tb.tb_next
    return False


def template_error(exc: BaseException) -> str:
    """Where in which template an error happened, and what it was ("post.html.j2:18: …")."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename}:{exc.lineno}: template error: {exc.message or exc}"
    where = ""
    tb = exc.__traceback__
    while tb is not None:  # the innermost template: a network's preview, not the page including it
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.suffix == ".j2":
            name = path.name if path.parent.name == "pages" else f"{path.parent.name}/{path.name}"
            where = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return f"{where}: template error: {message}" if where else f"template error: {message}"


@lru_cache(maxsize=4)
def environment(templates: tuple[str, ...], files: str = "") -> jinja2.Environment:
    """The pages' templates from the layered folders (`Project.template_dirs`): a repository's
    templates/pages/x.j2 is found before the package's, and includes are looked up the same way.
    `files` (the digest of the files found) keys the cache: Jinja's reload notices an edit to the
    file it loaded, not an override added above it (`serve`, or a second build in one process)."""
    # pages/ by name; a network's preview by its path under the folder (networks/<name>.html.j2).
    loaders = [jinja2.FileSystemLoader([str(Path(folder) / "pages"), str(folder)]) for folder in templates]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["page_title"] = env.filters["yaml_str"] = page_title
    env.filters.update(date_formats.FILTERS)
    env.filters["plural"] = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"
    env.filters["markdown_text"] = markdown_text
    env.filters["inline_code"] = inline_code
    env.filters["safe_href"] = safe_href
    env.filters["weekday"] = lambda d: WEEKDAY_NAMES.get(d, d)
    env.filters["num"] = lambda v, digits=0: "—" if v is None else f"{v:,.{digits}f}"
    env.filters["rich_text"] = rich_text
    env.globals["urls"] = urls
    # The statuses and what each means (label, mark, CSS class): templates ask them, never spell them.
    env.globals["PostStatus"] = PostStatus
    env.globals["KPI_COLUMNS"] = kpis.COLUMNS
    env.globals["CampaignStatus"] = CampaignStatus
    return env


class Renderer:
    """Renders one template for one page. Its links (`link`, `post_href`, `proposal_href`) are
    relative, made where they are read: in the Markdown the engine gets, as the engine reads a
    page's relative links (`links_from_file`: `Engine.links_from_file`); in HTML that reaches the
    built page untouched (what a template hands to `spliced`, a page rendered without `pieces`),
    from the page's address."""

    def __init__(
        self,
        templates: Sequence[Path],
        banner: Sequence[Diagnostic] = (),
        repo: RepoLinks | None = None,
        links_from_file: bool = False,
    ) -> None:
        self.templates = tuple(templates)  # the layered folders, first found wins (Project.template_dirs)
        self.env = environment(tuple(map(str, self.templates)), self.templates_digest)
        self.banner = tuple(banner)  # the errors `serve` shows above every page: each with its hint and rule
        self.repo = repo  # links into the repository (edit, history); None: no such links
        self.links_from_file = links_from_file

    @cached_property
    def templates_digest(self) -> str:
        # The file each name resolves to: an override changes the digest as an edit would.
        files = layered_files(self.templates, "pages")
        files.update({f"networks/{name}": f for name, f in layered_files(self.templates, "networks").items()})
        return digest([(name, f.read_bytes()) for name, f in files.items() if name.endswith(".j2")])

    def __fingerprint__(self) -> tuple[str, tuple[Diagnostic, ...], RepoLinks | None, bool]:
        """What a page depends on besides its context: the templates, the error banner, the links
        into the repository, how the engine reads the page's links."""
        return self.templates_digest, self.banner, self.repo, self.links_from_file

    def render(self, template: str, src: str, cal: Calendar, pieces: list[str] | None = None, **context: object) -> str:
        """The page's text. `pieces`: a list that collects the bulk HTML the template passes to
        `spliced` (its Markdown gets placeholders, docs_tree.py); None: that HTML stays in the text."""
        if "row_title" not in context:  # a page of the table is named by its row (render_pages passes it)
            from .table import title_of

            context["row_title"] = title_of(src)
        from_file = self.links_from_file and pieces is not None
        first = len(pieces) if pieces is not None else 0
        handed: list[str] = []
        text = self._render(template, src, cal, pieces, from_file, handed, context)
        if pieces is not None and from_file and handed:
            # `{{ spliced(html) }}` gets HTML made before the call, its links made for the Markdown:
            # the pieces are made again with the built page's links (the Markdown stays).
            again = pieces[:first]
            self._render(template, src, cal, again, False, [], context)
            pieces[first:] = again[first:]
        return text

    def _render(
        self,
        template: str,
        src: str,
        cal: Calendar,
        pieces: list[str] | None,
        from_file: bool,
        handed: list[str],
        context: dict[str, object],
    ) -> str:
        """One pass over the template. `from_file`: links outside the pieces are made as the engine
        reads the Markdown; `handed` gets an entry for each piece handed to `spliced` as a value."""
        in_piece = [0]  # > 0 while a `{% call spliced() %}` block is rendered: its links are the browser's

        def spliced(html: str = "", caller: Callable[[], str] | None = None) -> Markup:
            # `{{ spliced(html) }}` or `{% call spliced() %}html{% endcall %}`
            if caller is not None:
                in_piece[0] += 1
                try:
                    html = caller()
                finally:
                    in_piece[0] -= 1
            elif not in_piece[0]:
                handed.append(src)
            text = str(escape(html))  # a plain str is escaped, as in {{ }}
            return Markup(text if pieces is None else cut(pieces, src, text))

        def link(target: str, anchor: str = "") -> str:
            return urls.href(src, target, anchor, from_file=from_file and not in_piece[0])

        def post_href(post: Post) -> str:
            return link(urls.post_page(post.id))

        def proposal_href(p: Proposal) -> str:
            """Where a pull request's post is shown: its pending change on the post's page, else
            (nothing to show on a page) the pull request on the review desk."""
            if p.shown and is_valid_id(p.id):
                return link(urls.post_page(p.id), urls.pending_anchor(p.number))
            return link(urls.REVIEW) + urls.desk_for(p.number)

        return self.env.get_template(template).render(
            cal=cal,
            reg=cal.registry,
            today=cal.today,
            link=link,
            post_href=post_href,
            proposal_href=proposal_href,
            kpi_of=lambda r: kpis.totals([r]),
            banner=self.banner,
            repo=self.repo,
            spliced=spliced,
            **context,
        )
