"""Channel policy: which accounts, and what each accepts (text length, hashtags, alt text, variants)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Pos, did_you_mean, one_line, unknown
from ..load import NO_CHANNEL
from ..models import Campaign, Post
from ..new import PLACEHOLDER, TEMPLATE_TEXT, TEMPLATE_TITLE
from ..outgoing_text import compose, outgoing_text
from ..text_counting import fits
from .core import E, Example, File, FileContext, Finding, W, file_rule
from .examples import VALID_POST
from .links import text_pos

if TYPE_CHECKING:
    from ..content_file import Source
    from ..registry import Channel

HASHTAG = re.compile(r"^#(?=\w*[^\W\d_])\w+$")


@file_rule(
    Post,
    Campaign,
    code="SC201",
    severity=E,
    title="Unknown channel",
    description="Channels are ids from content/channels.yml.",
    example=Example(
        "channel: twiter-cern",
        bad=[File("a.md", VALID_POST.replace("channel: twitter-cern", "channel: twiter-cern"), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
)
def SC201(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    channels = ctx.registry.channels
    is_post = isinstance(item, Post)
    key = "channel" if is_post else "channels"
    for i, cid in enumerate(item.channels):
        if cid not in channels and not (is_post and cid == NO_CHANNEL):
            message, guess = unknown("channel", cid, list(channels))
            hint = f"use '{guess}'" if guess else "channels are listed in content/channels.yml"
            yield Finding(src.at(key, i), message, hint)


@file_rule(
    Post,
    Campaign,
    code="SC212",
    severity=E,
    title="Channel listed twice",
    description="Each channel is named once: a post listed twice on one account would go out twice there (two "
    "rows in the scheduler's file, two events in the feeds).",
    example=Example(
        "channel: [twitter-cern, facebook-cern, twitter-cern]",
        bad=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern, twitter-cern]"),
                "x",
            )
        ],
        good=[File("a.md", VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern]"), "x")],
    ),
)
def SC212(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if len(set(item.channels)) == len(item.channels):
        return
    key = "channel" if isinstance(item, Post) else "channels"
    seen: set[str] = set()
    for i, cid in enumerate(item.channels):
        if cid in seen:
            name = one_line(cid)
            yield Finding(src.at(key, i), f"channel '{name}' is listed twice", f"remove this '{name}'")
        seen.add(cid)


@file_rule(
    Post,
    code="SC205",
    severity=E,
    title="Retired channel",
    description="A retired channel keeps its entry so old posts still render, but no post may go out on it "
    "after its end date.",
    example=Example(
        "channel: googleplus-cern\ndate: 2027-01-15 10:00",
        bad=[File("a.md", VALID_POST.replace("channel: twitter-cern", "channel: googleplus-cern"), "x")],
        good=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: googleplus-cern").replace(
                    "2027-03-02", "2016-03-02"
                ),
                "x",
            )
        ],
    ),
)
def SC205(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if not ctx.date_known or not any(c.is_retired for c in ctx.channels):
        return
    channels = ctx.registry.channels
    for i, cid in enumerate(post.channels):
        channel = channels.get(cid)
        if channel is not None and not channel.accepts_posts_on(post.day):
            yield Finding(
                src.at("channel", i),
                f"channel '{cid}' was retired on {channel.retired}",
                channel.retired_why or "choose an active channel",
            )


def outgoing_texts(ctx: FileContext, post: Post, channel: Channel) -> tuple[str, str]:
    """`outgoing_text` of the post on the channel, UTM-tagged as the settings say: worked out once
    per post (SC301 checks it; a build composes the post's texts from it: validate.py)."""
    return ctx.per_item(
        f"outgoing {channel.id}", post, lambda: outgoing_text(post, channel, ctx.registry.settings.utm)
    )


@file_rule(
    Post,
    code="SC301",
    severity=E,
    title="Text too long",
    description="The text as it goes out (body or channel variant, plus the link and hashtags where the "
    "channel puts them in the text, its links to the team's own sites UTM-tagged) fits the channel's limit, "
    "counted the platform's way: X/Twitter weighs characters and counts every URL as 23 whatever its length, "
    "Mastodon counts every address as 23 too; the other networks count a link's every character, tags included "
    "(Bluesky shows the post's link as a card, outside the text and its count).",
    example=Example(
        "a 300-character post on twitter-cern",
        bad=[File("a.md", VALID_POST, "x" * 270)],
        good=[File("a.md", VALID_POST, "x" * 240)],
    ),
)
def SC301(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    for channel in ctx.channels:
        texts = outgoing_texts(ctx, post, channel)  # the limits are checked on the text as it goes out: tagged
        if fits(texts[0], channel.limits.text.count, channel.limits.text.max, channel.network.url_length):
            continue  # counted only when it may not fit (X counts cost 50 µs)
        out = compose(post, channel, ctx.registry.settings.utm, texts)
        if out.over:
            yield Finding(
                text_pos(post, src, channel.id),
                f"the text for {channel.id} is {out.length} {out.unit}; the limit is {out.limit}",
                f"shorten it by {out.length - out.limit}, or add a shorter `variants: {{{channel.id}: …}}`",
            )


@file_rule(
    Post,
    code="SC304",
    severity=E,
    title="Too many hashtags",
    description="Each channel has a hashtag maximum (Instagram: 5, the platform's current limit, "
    "stricter than the strategy's 8).",
    example=Example(
        "hashtags: ['#a', '#b', '#c', '#d', '#e', '#f']",
        bad=[File("a.md", VALID_POST.replace('["#LHC"]', '["#LHC", "#CERN", "#FCC", "#CLIC"]'), "x")],
        good=[File("a.md", VALID_POST.replace('["#LHC"]', '["#LHC", "#CERN", "#FCC"]'), "x")],
    ),
)
def SC304(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    count = len(post.hashtags)
    for channel in ctx.channels:
        policy = channel.limits.hashtags
        if count > policy.max:
            yield Finding(
                src.keys.get("hashtags", Pos(1, 1)),
                f"{count} hashtags, but {channel.id} allows at most {policy.max}",
                (policy.why + " " if policy.why else "") + "keep the most significant ones",
            )


@file_rule(
    Post,
    Campaign,
    code="SC305",
    severity=E,
    title="Malformed hashtag",
    description="A hashtag is `#` followed by letters, digits or underscores, with at least one letter.",
    example=Example(
        "hashtags: ['CERN', '#open days']",
        bad=[File("a.md", VALID_POST.replace('["#LHC"]', '["LHC"]'), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
)
def SC305(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    for i, tag in enumerate(item.hashtags):
        if not HASHTAG.match(tag):
            fixed = "#" + re.sub(r"\W", "", tag.lstrip("#"))
            yield Finding(
                src.at("hashtags", i),
                f"'{one_line(tag)}' is not a hashtag",
                f"write it as {fixed}" if len(fixed) > 1 else "a hashtag is # followed by letters",
            )


@file_rule(
    Post,
    Campaign,
    code="SC306",
    severity=W,
    title="Hashtag not in the active list",
    description="The strategy keeps a list of active hashtags (content/hashtags.yml). A new one is "
    "allowed but worth a second look.",
    example=Example(
        "hashtags: ['#Cern2027']",
        bad=[File("a.md", VALID_POST.replace('["#LHC"]', '["#Cern2027"]'), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
)
def SC306(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    hashtags = ctx.registry.hashtags
    for i, tag in enumerate(item.hashtags):
        if tag.lower() not in hashtags.known and HASHTAG.match(tag):  # a malformed tag is SC305's
            guess = did_you_mean(tag, hashtags.active)
            yield Finding(
                src.at("hashtags", i),
                f"'{tag}' is not in the active hashtag list" + (f" (did you mean '{guess}'?)" if guess else ""),
                "use an active hashtag, or add it to content/hashtags.yml in this pull request",
            )


@file_rule(
    Post,
    code="SC307",
    severity=E,
    title="Image without alt text",
    description="Every image carries alt text for people using screen readers (`media: [{src, alt}]`).",
    example=Example(
        "media:\n  - src: lhc.jpg",
        bad=[File("a.md", VALID_POST + "media:\n  - src: lhc.jpg", "x")],
        good=[File("a.md", VALID_POST + "media:\n  - src: lhc.jpg\n    alt: The LHC tunnel", "x")],
    ),
)
def SC307(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if not post.media or not any(c.limits.alt_text_required for c in ctx.channels):
        return
    for i, media in enumerate(post.media):
        if media.kind == "image" and not media.alt.strip():
            yield Finding(
                src.at("media", i),
                f"image '{one_line(media.src)}' has no alt text",
                "add `alt:` describing the image for people using screen readers",
            )


@file_rule(
    Post,
    code="SC313",
    severity=E,
    title="Post without an image or video",
    description="Some channels publish nothing without an image or a video (the Instagram feed: `media: required` "
    "in content/channels.yml). Name it in `media:` with its alt text.",
    example=Example(
        "channel: instagram-cern  # and no media:",
        bad=[File("a.md", VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, instagram-cern]"), "x")],
        good=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, instagram-cern]")
                + "media:\n  - src: media/lhc.jpg\n    alt: The LHC tunnel",
                "x",
            )
        ],
    ),
)
def SC313(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if post.media or post.status.cancelled:
        return
    needing = [c.id for c in ctx.channels if c.limits.media == "required"]
    if needing:
        yield Finding(
            src.keys.get("channel", Pos(1, 1)),
            f"the post has no image or video, but {', '.join(needing)} "
            f"publish{'es' if len(needing) == 1 else ''} nothing without one",
            "add `media:` with `- src: media/…jpg` and `alt: what the image shows`",
        )


_FIVE_IMAGES = "media:\n" + "".join(f"  - src: media/lhc-{i}.jpg\n    alt: The LHC tunnel {i}\n" for i in range(1, 6))


@file_rule(
    Post,
    code="SC319",
    severity=E,
    title="More media than the network takes",
    description="Each network takes so many images a post (X and Bluesky 4, Instagram's feed 10, stories and "
    "YouTube's thumbnail 1: `images` of its unit in generator/networks/), and some no video. The network would "
    "refuse the post, or publish it without the rest.",
    example=Example(
        "channel: twitter-cern\nmedia: [five images]",
        bad=[File("a.md", VALID_POST + _FIVE_IMAGES, "x")],
        good=[File("a.md", VALID_POST + _FIVE_IMAGES.rsplit("  - src:", 1)[0], "x")],
    ),
)
def SC319(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    images = sum(m.kind == "image" for m in post.media)
    videos = len(post.media) - images
    for channel in ctx.channels:
        network = channel.network
        if images > network.images:
            yield Finding(
                src.keys.get("media", Pos(1, 1)),
                f"the post has {images} images; a post on {channel.id} ({network.label}) takes {network.images}",
                f"keep the {network.images} that matter most, or post the others on {channel.id} separately",
            )
        elif videos and not network.video:
            yield Finding(
                src.keys.get("media", Pos(1, 1)),
                f"the post has a video; {channel.id} ({network.label}) takes none",
                "post the video elsewhere, or take it out of `media:`",
            )


@file_rule(
    Post,
    code="SC314",
    severity=E,
    title="Placeholder left in the post",
    description="`socialcal new` writes a placeholder where the text of the post goes; the post template "
    "(.frontmatter/templates/post.md) has a placeholder title (`{{title}}`, filled in by Front Matter CMS when it "
    "creates the post) and a placeholder text. A post copied from the template by hand keeps them: replace "
    "them with the post's headline and the text that goes out before the post is proposed.",
    example=Example(
        'title: "{{title}}"\n---\nWrite the text of the post here.',
        bad=[
            File("a.md", VALID_POST.replace("title: LHC restarts", 'title: "{{title}}"'), TEMPLATE_TEXT),
            File("b.md", VALID_POST, PLACEHOLDER),
        ],
        good=[File("a.md", VALID_POST, "x"), File("b.md", VALID_POST, "The LHC is back.")],
    ),
)
def SC314(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if TEMPLATE_TITLE in post.title or _FRONT_MATTER_PLACEHOLDER.search(post.title):
        yield Finding(
            src.at("title"),
            f"the title is still the template's placeholder '{one_line(post.title)}'",
            "write the post's headline, as the calendar should show it",
        )
    texts = [("the text", Pos(src.body_line, 1), post.body)]
    texts += [(f"the {cid} variant", src.at("variants"), v) for cid, v in post.variants.items()]
    for what, pos, text in texts:
        if PLACEHOLDER in text:
            yield Finding(
                pos, f"{what} is still the placeholder of `socialcal new`", "replace it with the text that goes out"
            )
        elif TEMPLATE_TEXT in text:
            yield Finding(
                pos, f"{what} is still the placeholder of the post template", "replace it with the text that goes out"
            )


# Front Matter CMS's placeholders ({{title}}, {{slug}}, {{now}}, …): left as written in a copy by hand.
_FRONT_MATTER_PLACEHOLDER = re.compile(r"\{\{\s*[a-zA-Z_:.-]+\s*\}\}")


@file_rule(
    Post,
    code="SC309",
    severity=W,
    title="Post has no text",
    description="A post without a body or a channel variant has nothing to publish yet.",
    example=Example("(front-matter only)", bad=[File("a.md", VALID_POST, "")], good=[File("a.md", VALID_POST, "x")]),
)
def SC309(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if not post.body.strip() and not post.variants and not post.status.cancelled:
        yield Finding(
            Pos(src.body_line, 1), "the post has no text yet", "write the text of the post below the front-matter"
        )


@file_rule(
    Post,
    code="SC310",
    severity=E,
    title="Variant for a channel the post is not on",
    description="`variants` overrides the text per channel; each key is one of the post's channels.",
    example=Example(
        "channel: twitter-cern\nvariants:\n  facebook-cern: Longer text",
        bad=[File("a.md", VALID_POST + "variants:\n  facebook-cern: Longer text", "x")],
        good=[File("a.md", VALID_POST + "variants:\n  twitter-cern: Shorter", "x")],
    ),
)
def SC310(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    for key in post.variants:
        if key not in post.channels:
            yield Finding(
                src.at("variants"),
                f"variant for '{one_line(key)}', which is not one of this post's channels",
                "add the channel to `channel:` or remove the variant",
            )
