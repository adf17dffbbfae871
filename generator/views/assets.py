"""Static assets of the site: the stylesheet and script from templates' assets/ (the repository's
templates/assets/ over the package's, file by file), and channels.css,
generated from the registry (each channel's colour and icon)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from ..project import layered_files
from ..registry import Registry


@lru_cache(maxsize=64)
def icon_svg(icon: str) -> str | None:
    """An icon from Material's bundled set (no network): e.g. 'simple/x'."""
    try:
        import material
    except ImportError:  # pragma: no cover - Material is a dependency
        return None
    path = Path(material.__file__).parent / "templates" / ".icons" / f"{icon}.svg"
    if ".." in icon or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def _lighten(color: str, amount: float = 0.45) -> str:
    """A lighter shade for the dark palette, so channel colours keep their contrast there."""
    value = color.lstrip("#")
    if len(value) != 6:
        return color
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def channels_css(registry: Registry) -> str:
    rules = []
    for ch in registry.channels.values():
        rules.append(f".sc-ch-{ch.id}{{--sc-color:{ch.color};--sc-color-dark:{_lighten(ch.color)}}}")
        svg = icon_svg(ch.icon)
        if svg:
            rules.append(f'.sc-icon-{ch.id}{{--sc-icon:url("data:image/svg+xml,{quote(svg)}")}}')
        else:
            rules.append(f".sc-icon-{ch.id}{{border-radius:50%}}")
    for s in registry.series.values():
        rules.append(f".sc-se-{s.id}{{--sc-series:{s.color}}}")
    return "\n".join(rules) + "\n"


# Icons of the post previews (class sc-i-<name>), from Material's bundled set.
UI_ICONS = {
    "like": "material/heart-outline",
    "comment": "material/comment-outline",
    "share": "material/share-outline",
    "repost": "material/repeat-variant",
    "thumb": "material/thumb-up-outline",
    "send": "material/send-outline",
    "bookmark": "material/bookmark-outline",
    "views": "material/chart-bar",
    "play": "material/play",
    "earth": "material/earth",
    "image": "material/image-outline",
    "video": "material/video-outline",
    "link": "material/link-variant",
    "more": "material/dots-horizontal",
    "edit": "material/pencil-outline",
    "history": "material/history",
    "copy": "material/content-copy",
    "ok": "material/check-circle-outline",
}


def icons_css() -> str:
    rules = []
    for name, icon in UI_ICONS.items():
        svg = icon_svg(icon)
        if svg:
            rules.append(f'.sc-i-{name}{{--sc-icon:url("data:image/svg+xml,{quote(svg)}")}}')
    return "\n".join(rules) + "\n"


# How pull requests' posts look (build --pull-requests): added to socialcal.css only then, so a
# site built without them is the same, byte for byte, as before they existed.
PROPOSALS_CSS = "proposals.css"


def static_assets(templates: Sequence[Path], registry: Registry, proposals: bool = False) -> dict[str, str]:
    """`templates`: the layered folders (`Project.template_dirs`), first found wins."""
    out = {"assets/channels.css": channels_css(registry), "assets/icons.css": icons_css()}
    files = {name: path for name, path in layered_files(templates, "assets").items() if "/" not in name}
    for name, path in files.items():
        if name != PROPOSALS_CSS:
            out[f"assets/{name}"] = path.read_text(encoding="utf-8")
    extra = files.get(PROPOSALS_CSS)
    if proposals and extra is not None:
        out["assets/socialcal.css"] = out.get("assets/socialcal.css", "") + extra.read_text(encoding="utf-8")
    return out
