"""Per-post rules: a post against the registries (channels, series, hashtags, links, audiences)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .diagnostics import Diagnostic, did_you_mean, one_line, unknown
from .linkcheck import Problem, address_problem, in_text, media_problem
from .markup import safe_target
from .markup import targets as markup_targets
from .models import Campaign, Post
from .new import PLACEHOLDER
from .registry import WEEKDAY_NAMES, WEEKDAYS, Registry
from .rules import rule
from .source import Pos, Source
from .text import compose, urls_in

HASHTAG = re.compile(r"^#(?=\w*[^\W\d_])\w+$")
_LINK_HINT = "write the full address, e.g. https://home.cern/news"
_EXTERNAL_HINT = (
    "link to home.cern or a CERN site; if there is a partnership agreed with the Press Office, say so in `partnership:`"
)


class PostChecker:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.channel_ids = list(registry.channels)
        self.series_ids = list(registry.series)
        self.known_tags = registry.hashtags.known

    def _at(self, post_or_path: str, pos: Pos, code: str, message: str, hint: str) -> Diagnostic:
        return rule(code).at(post_or_path, pos.line, pos.col, message, hint)

    def check_post(self, post: Post, src: Source, date_known: bool = True) -> Iterator[Diagnostic]:
        reg = self.registry
        p = post.path
        channels = []
        for i, cid in enumerate(post.channels):
            channel = reg.channels.get(cid)
            if cid == "(none)":
                continue
            if channel is None:
                yield self._unknown_channel(p, src.at("channel", i), cid)
                continue
            channels.append((i, channel))
            if date_known and not channel.accepts_posts_on(post.day):
                yield self._at(
                    p,
                    src.at("channel", i),
                    "SC205",
                    f"channel '{cid}' was retired on {channel.retired}",
                    channel.retired_why or "choose an active channel",
                )
        yield from self._audiences(p, src, post.audiences)
        yield from self._series(post, src, [c for _, c in channels], date_known)
        yield from self._link(post, src, [c for _, c in channels])
        yield from self._hashtags(p, src, post.hashtags)
        keyed_by_channel = (
            ("variants", post.variants, "SC310", "variant", "add the channel to `channel:` or remove the variant"),
            (
                "results",
                post.results,
                "SC311",
                "results",
                "key each channel's results by one of the post's channel ids",
            ),
        )
        for field, entries, code, what, hint in keyed_by_channel:
            for key in entries:
                if key not in post.channels:
                    yield self._at(
                        p,
                        src.at(field),
                        code,
                        f"{what} for '{one_line(key)}', which is not one of this post's channels",
                        hint,
                    )
        for key, r in post.results.items():
            found = address_problem(r.url, reg.links) if r.url else None
            if found:
                yield self._at(
                    p,
                    src.at("results"),
                    found.code,
                    f"results url of {one_line(key)} '{one_line(r.url or '')}' is refused: {found.reason}",
                    "write the published post's full address, e.g. https://twitter.com/CERN/status/…",
                )
        if post.results and post.status != "published":
            yield self._at(
                p,
                src.at("results"),
                "SC312",
                f"the post has results but its status is {post.status}",
                "set `status: published`",
            )
        needs_alt = any(c.limits.alt_text_required for _, c in channels)
        for i, media in enumerate(post.media):
            found = media_problem(media.src, reg.links, self._partner(post))
            if found:
                yield self._at(
                    p,
                    src.at("media", i),
                    found.code,
                    f"media '{one_line(media.src)}' is refused: {found.reason}",
                    "name a file in the repository, e.g. media/gwti/rings.jpg, or an https URL on a site "
                    "of content/links.yml"
                    if found.code == "SC108"
                    else _EXTERNAL_HINT,
                )
            if needs_alt and media.kind == "image" and not media.alt.strip():
                yield self._at(
                    p,
                    src.at("media", i),
                    "SC307",
                    f"image '{one_line(media.src)}' has no alt text",
                    "add `alt:` describing the image for people using screen readers",
                )
        needing_media = [c.id for _, c in channels if c.limits.media == "required"]
        if needing_media and not post.media and post.status != "cancelled":
            yield self._at(
                p,
                src.keys.get("channel", Pos(1, 1)),
                "SC313",
                f"the post has no image or video, but {', '.join(needing_media)} "
                f"publish{'es' if len(needing_media) == 1 else ''} nothing without one",
                "add `media:` with `- src: media/…jpg` and `alt: what the image shows`",
            )
        texts = [("the text", Pos(src.body_line, 1), post.body)]
        texts += [(f"the {cid} variant", src.at("variants"), v) for cid, v in post.variants.items()]
        for what, pos, text in texts:
            if PLACEHOLDER in text:
                yield self._at(
                    p,
                    pos,
                    "SC314",
                    f"{what} is still the placeholder of `socialcal new`",
                    "replace it with the text that goes out",
                )
        if not post.body.strip() and not post.variants and post.status != "cancelled":
            yield self._at(
                p,
                Pos(src.body_line, 1),
                "SC309",
                "the post has no text yet",
                "write the text of the post below the front-matter",
            )
        for _, channel in channels:
            yield from self._per_channel(post, src, channel)

    def _unknown_channel(self, path: str, pos: Pos, cid: str) -> Diagnostic:
        message, guess = unknown("channel", cid, self.channel_ids)
        hint = f"use '{guess}'" if guess else "channels are listed in content/channels.yml"
        return self._at(path, pos, "SC201", message, hint)

    def _audiences(self, path: str, src: Source, audiences: tuple[str, ...]) -> Iterator[Diagnostic]:
        for i, aid in enumerate(audiences):
            if aid not in self.registry.audiences:
                message, _ = unknown("audience", aid, self.registry.audiences)
                yield self._at(
                    path,
                    src.at("audiences", i),
                    "SC107",
                    message,
                    "audiences: " + ", ".join(self.registry.audiences),
                )

    def _hashtags(self, path: str, src: Source, tags: tuple[str, ...]) -> Iterator[Diagnostic]:
        for i, tag in enumerate(tags):
            if not HASHTAG.match(tag):
                fixed = "#" + re.sub(r"\W", "", tag.lstrip("#"))
                yield self._at(
                    path,
                    src.at("hashtags", i),
                    "SC305",
                    f"'{one_line(tag)}' is not a hashtag",
                    f"write it as {fixed}" if len(fixed) > 1 else "a hashtag is # followed by letters",
                )
            elif tag.lower() not in self.known_tags:
                guess = did_you_mean(tag, self.registry.hashtags.active)
                yield self._at(
                    path,
                    src.at("hashtags", i),
                    "SC306",
                    f"'{tag}' is not in the active hashtag list" + (f" (did you mean '{guess}'?)" if guess else ""),
                    "use an active hashtag, or add it to content/hashtags.yml in this pull request",
                )

    def _series(self, post: Post, src: Source, channels: list, date_known: bool) -> Iterator[Diagnostic]:
        p = post.path
        if post.series is None:
            if post.answer_to is not None:
                yield self._at(
                    p,
                    src.at("answer_to"),
                    "SC210",
                    "`answer_to` on a post that is not an answer",
                    "set `series: gwti-answer`, or remove `answer_to`",
                )
            return
        series = self.registry.series.get(post.series)
        if series is None:
            message, _ = unknown("series", post.series, self.series_ids)
            yield self._at(
                p,
                src.at("series"),
                "SC202",
                message,
                "series: " + ", ".join(self.series_ids),
            )
            return
        if series.channels:
            for channel in channels:
                if channel.id not in series.channels:
                    idx = post.channels.index(channel.id)
                    yield self._at(
                        p,
                        src.at("channel", idx),
                        "SC207",
                        f"series '{series.id}' does not run on '{channel.id}'",
                        "it runs on " + ", ".join(series.channels),
                    )
        weekday = WEEKDAYS[post.date.weekday()]
        if date_known and series.weekdays and weekday not in series.weekdays:
            days = ", ".join(WEEKDAY_NAMES[d] for d in series.weekdays)
            yield self._at(
                p,
                src.at("date"),
                "SC208",
                f"{series.label} goes out on {days}, but {post.day} is a {WEEKDAY_NAMES[weekday]}",
                f"move the post to a {days}",
            )
        if series.answers and post.answer_to is None:
            yield self._at(
                p,
                src.at("series"),
                "SC210",
                f"a {series.label} post names the question it answers",
                "add `answer_to: <id of the question post>`",
            )
        if not series.answers and post.answer_to is not None:
            yield self._at(
                p,
                src.at("answer_to"),
                "SC210",
                f"`answer_to` on a {series.label} post, which answers nothing",
                "remove `answer_to`, or use the answering series (gwti-answer)",
            )
        if series.requires_link and not post.link:
            yield self._at(
                p,
                src.at("series"),
                "SC302",
                f"a {series.label} post links to where to find out more",
                "add `link: https://home.cern/…`",
            )

    def _link(self, post: Post, src: Source, channels: list) -> Iterator[Diagnostic]:
        p = post.path
        if post.link is None:
            requiring = [c.id for c in channels if c.limits.link == "required"]
            if requiring:
                yield self._at(
                    p,
                    src.keys.get("title", Pos(1, 1)),
                    "SC302",
                    f"the post has no link, but {', '.join(requiring)} require{'s' if len(requiring) == 1 else ''} one",
                    "add `link: https://home.cern/…` (the strategy: every post starts a journey)",
                )
            return
        found = address_problem(post.link, self.registry.links, external_ok=self._partner(post))
        if found:
            yield self._address(p, src.at("link"), "link", post.link, found)

    @staticmethod
    def _partner(post: Post) -> bool:
        return bool(post.partnership and post.partnership.strip())

    def _address(self, path: str, pos: Pos, what: str, url: str, found: Problem) -> Diagnostic:
        if found.code == "SC308":
            return self._at(
                path,
                pos,
                "SC308",
                f"'{one_line(found.host)}' is external media, which CERN does not usually share",
                _EXTERNAL_HINT,
            )
        return self._at(path, pos, "SC108", f"{what} '{one_line(url)}' is malformed: {found.reason}", _LINK_HINT)

    def _per_channel(self, post: Post, src: Source, channel) -> Iterator[Diagnostic]:
        p = post.path
        limits = channel.limits
        tag_pos = src.keys.get("hashtags", Pos(1, 1))
        if len(post.hashtags) > limits.hashtags.max:
            yield self._at(
                p,
                tag_pos,
                "SC304",
                f"{len(post.hashtags)} hashtags, but {channel.id} allows at most {limits.hashtags.max}",
                (limits.hashtags.why + " " if limits.hashtags.why else "") + "keep the most significant ones",
            )
        text = post.text_for(channel.id)
        text_pos = src.at("variants") if channel.id in post.variants else Pos(src.body_line, 1)
        if limits.link == "forbidden":
            found = urls_in(text)
            if found:
                yield self._at(
                    p,
                    text_pos,
                    "SC303",
                    f"{channel.id} forbids links in the text, but it contains '{one_line(found[0])}'",
                    "remove the URL from the text; keep it in `link:` for the record",
                )
        else:
            for url in urls_in(text):
                found = address_problem(in_text(url), self.registry.links, external_ok=self._partner(post))
                if found:
                    yield self._address(p, text_pos, "the address in the text", url, found)
        out = compose(post, channel)
        if out.over:
            yield self._at(
                p,
                text_pos,
                "SC301",
                f"the text for {channel.id} is {out.length} {out.unit}; the limit is {out.limit}",
                f"shorten it by {out.length - out.limit}, or add a shorter `variants: {{{channel.id}: …}}`",
            )

    def check_campaign(self, campaign: Campaign, src: Source) -> Iterator[Diagnostic]:
        p = campaign.path
        if campaign.end < campaign.start:
            yield self._at(
                p,
                src.at("end"),
                "SC110",
                f"the campaign ends ({campaign.end}) before it starts ({campaign.start})",
                "swap start and end, or fix the dates",
            )
        for i, cid in enumerate(campaign.channels):
            if cid not in self.registry.channels:
                yield self._unknown_channel(p, src.at("channels", i), cid)
        yield from self._audiences(p, src, campaign.audiences)
        yield from self._hashtags(p, src, campaign.hashtags)
        yield from self._plan_links(campaign, src)

    def _plan_links(self, campaign: Campaign, src: Source) -> Iterator[Diagnostic]:
        """Every link and image of the plan, as the parsed Markdown has them (generator/markup.py)."""
        for target in markup_targets(campaign.body):
            if target.image:
                found = media_problem(target.url, self.registry.links)
            elif target.url.startswith("mailto:") and safe_target(target.url):
                continue
            else:
                found = address_problem(target.url, self.registry.links)
            if found:
                at = campaign.body.find(target.url)
                pos = Pos(src.body_line + (campaign.body.count("\n", 0, at) if at >= 0 else 0), 1)
                yield self._address(campaign.path, pos, "the image" if target.image else "the link", target.url, found)
