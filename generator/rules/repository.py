"""SC5xx: the repository's set-up: the editor configuration (frontmatter.json for Front Matter CMS
in VS Code) and the registries (content/*.yml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import WHOLE_FILE
from .core import Corpus, E, Example, File, Finding, W, corpus_rule

EDITOR_CONFIG = "frontmatter.json"


def _generated(campaigns: list[str]):
    """frontmatter.json as `socialcal editor-config` writes it for the example project's registries."""

    def make(root: Path) -> bytes:
        from ..editor_config import dumps, generate
        from ..registry import load_registry

        return dumps(generate(load_registry(root / "content"), campaigns)).encode()

    return make


@corpus_rule(
    code="SC501",
    severity=W,
    title="Editor configuration out of date",
    description="frontmatter.json (the Front Matter CMS form for VS Code) is generated from the registries and "
    "the campaigns, so that a new channel, series, audience or campaign reaches the editor in the "
    "same pull request. A frontmatter.json written by hand (without the `socialcal.generated` key) "
    "is not checked.",
    example=Example(
        "a channel added to content/channels.yml, and frontmatter.json not regenerated",
        bad=[File(EDITOR_CONFIG, None, _generated(["gone-campaign"]), "..")],
        good=[File(EDITOR_CONFIG, None, _generated([]), "..")],
    ),
)
def SC501(corpus: Corpus) -> Iterator[Finding]:
    if corpus.root is None or not (corpus.root / EDITOR_CONFIG).is_file():
        return
    from ..editor_config import stale
    from ..json_schema import campaign_ids

    diff = stale(corpus.root, corpus.registry, campaign_ids(corpus.root))
    if diff:
        yield Finding(
            WHOLE_FILE,
            f"{EDITOR_CONFIG} is out of date with the registries: {diff}",
            "run socialcal editor-config",
            EDITOR_CONFIG,
        )


@corpus_rule(
    code="SC504",
    severity=E,
    title="A page of your own takes a name of the generated site",
    description="Every file in pages/ is published as written, at the same path. The top of the site belongs to "
    "the build: socialcal's pages, assets and feeds (`posts/`, `calendar/`, `feeds/`, the home page …) and "
    "what the site engine writes (its theme's `assets/`, the search index, `sitemap.xml`, `404.html`). A file "
    "there would replace or shadow one of them: a script in `pages/assets/javascripts/` would run on every "
    "page. The names are derived from the build (generator/sitepaths.py) and compared ignoring case and "
    "extension.",
    example=Example(
        "pages/assets/javascripts/bundle.min.js  # shadows the theme's script",
        bad=[File("assets/javascripts/bundle.min.js", None, b"alert(document.cookie)\n", "../pages")],
        good=[File("team/bundle.min.js", None, b"alert(document.cookie)\n", "../pages")],
    ),
)
def SC504(corpus: Corpus) -> Iterator[Finding]:
    if corpus.root is None or not (corpus.root / "pages").exists():
        return
    from ..project import Project
    from ..sitepaths import page_conflicts

    for path, message, hint in page_conflicts(Project(corpus.root)):
        yield Finding(WHOLE_FILE, message, hint, path)
