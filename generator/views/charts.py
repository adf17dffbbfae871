"""Static SVG charts: readable without JavaScript, coloured by CSS so both palettes work.

Every label is escaped; every chart carries a title and a description for screen readers, and the
pages show the same numbers in a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..besttimes import Cell, Heatmap

W, H = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 16, 48


@dataclass(frozen=True)
class Line:
    label: str
    css: str  # a class that sets --sc-color (e.g. sc-ch-twitter-cern)
    values: Sequence[float | None]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10):
        for scale in (10**k for k in range(-2, 10)):
            if step * scale >= value:
                return step * scale
    return value


def integer_ticks(peak: float) -> tuple[int, int]:
    """For counts: the top of the axis and the step between ticks, both whole numbers, at most
    five steps (a count of 2.5 posts means nothing)."""
    for scale in (10**k for k in range(10)):
        for step in (1 * scale, 2 * scale, 5 * scale):
            top = step * max(1, -(-int(peak) // step))  # rounded up to a step
            if top // step <= 5 and top >= peak:
                return top, step
    return max(1, int(peak)), max(1, int(peak))


def line_chart(
    title: str,
    x_labels: Sequence[str],
    lines: Sequence[Line],
    unit: str = "",
    top: float | None = None,
    legend: bool = True,
    integer: bool = False,
    planned_from: int | None = None,
) -> Markup:
    """`integer`: the values are counts, ticked at whole numbers. `planned_from`: the points from
    this index on are planned, not past: drawn dashed, on a shaded band labelled "planned"."""
    peak = max((v for line in lines for v in line.values if v is not None), default=0.0)
    if integer:
        top, step = integer_ticks(top or peak)
        ticks = [float(v) for v in range(0, int(top) + 1, step)]
    else:
        top = top or _nice_max(peak)
        ticks = [top * k / 4 for k in range(5)]
    n = max(len(x_labels), 1)
    planned = planned_from is not None and 0 < planned_from < n
    # The "planned" label sits above the plot, where no line can run through it.
    label_room = 30 if planned else 0
    plot_top = TOP + label_room
    plot_w, plot_h = W - LEFT - RIGHT, H - plot_top - BOTTOM

    def x(i: float) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return plot_top + plot_h - plot_h * v / top

    parts = [
        f'<svg class="sc-chart sc-line-chart" viewBox="0 0 {W} {H}" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{_id(title)}-t">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
    ]
    if planned:
        assert planned_from is not None
        start, right, height = x(planned_from - 0.5), W - RIGHT, plot_h + label_room
        parts.append(
            f'<rect class="sc-planned-band" x="{start:.1f}" y="{TOP}" width="{right - start:.1f}" height="{height}"/>'
            f'<text class="sc-axis sc-planned-label" x="{right - 4}" y="{TOP + 4}" text-anchor="end" '
            'dominant-baseline="hanging">planned</text>'
        )
    for value in ticks:
        parts.append(
            f'<line class="sc-grid-line" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
        )
        parts.append(
            f'<text class="sc-axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
            f"{escape(_short(value))}{escape(unit)}</text>"
        )
    every = max(1, n // (8 if legend else 4))
    shown = [i for i in range(n) if i < len(x_labels) and (i % every == 0 or i == n - 1)]
    if len(shown) > 2 and n > 1:
        # The last label ends at the chart's edge: the one before it must leave it room.
        gap = plot_w * (shown[-1] - shown[-2]) / (n - 1)
        width = 6.5 * max(len(x_labels[shown[-1]]), len(x_labels[shown[-2]])) * (2 if not legend else 1)
        if gap < 1.5 * width:
            shown.pop(-2)
    for k, i in enumerate(shown):
        # The last label ends at the chart's edge instead of running past it (the first has the
        # axis margin); every other label is minor, left out on narrow screens where text is larger.
        anchor = "end" if i == n - 1 and n > 1 else "middle"
        css = "sc-axis sc-axis-minor" if 0 < k < len(shown) - 1 and k % 2 else "sc-axis"
        parts.append(
            f'<text class="{css}" x="{x(i):.1f}" y="{H - BOTTOM + 8}" text-anchor="{anchor}" '
            f'dominant-baseline="hanging">'
            f"{escape(x_labels[i])}</text>"
        )
    cut = planned_from if planned and planned_from is not None else n
    for line in lines:
        points = [(i, x(i), y(v)) for i, v in enumerate(line.values) if v is not None]
        if not points:
            continue
        past = [(px, py) for i, px, py in points if i < cut]
        # The planned part starts from the last past point, so the line is not broken.
        ahead = past[-1:] + [(px, py) for i, px, py in points if i >= cut]
        parts.append(f'<g class="{escape(line.css)}">')
        for css, part in (("sc-line", past), ("sc-line sc-line-planned", ahead)):
            if len(part) > 1:
                parts.append(f'<polyline class="{css}" points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in part)}"/>')
        parts += [
            f'<circle class="sc-dot{" sc-dot-planned" if i >= cut else ""}" cx="{px:.1f}" cy="{py:.1f}" r="2.5"/>'
            for i, px, py in points
        ]
        parts.append("</g>")
    parts.append("</svg>")
    keys = "".join(
        f'<li class="{escape(line.css)}"><span class="sc-swatch"></span>{escape(line.label)}</li>'
        for line in lines
        if any(v is not None for v in line.values)
    )
    return Markup("".join(parts) + (f'<ul class="sc-legend">{keys}</ul>' if keys and legend else ""))


def small_multiples(
    title: str,
    x_labels: Sequence[str],
    lines: Sequence[Line],
    unit: str = "",
    integer: bool = False,
    planned_from: int | None = None,
) -> Markup:
    """One small chart per line, on a shared scale: easier to read than many lines in one chart."""
    peak = max((v for line in lines for v in line.values if v is not None), default=0.0)
    top = integer_ticks(peak)[0] if integer else _nice_max(peak)
    cells = "".join(
        f'<div class="sc-multiple {escape(line.css)}"><p class="sc-multiple-title">{escape(line.label)}</p>'
        f"{line_chart(f'{title}: {line.label}', x_labels, [line], unit, top, False, integer, planned_from)}</div>"
        for line in lines
    )
    return Markup(f'<div class="sc-multiples">{cells}</div>')


def target_bars(title: str, rows: Sequence[tuple[str, float | None, float]]) -> Markup:
    """One bar per KPI: the result as a share of its target, with the target at 100 %."""
    height = 28 * max(len(rows), 1) + 24
    label_w, plot_w = 180, W - 180 - 60
    scale = max([1.0, *((a / t) for _, a, t in rows if a is not None and t)])
    parts = [
        f'<svg class="sc-chart sc-bar-chart" viewBox="0 0 {W} {height}" role="img" aria-labelledby="{_id(title)}-t">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
    ]
    target_x = label_w + plot_w / scale
    for i, (label, actual, target) in enumerate(rows):
        top = 8 + 28 * i
        share = (actual / target) if (actual is not None and target) else None
        parts.append(f'<text class="sc-axis" x="{label_w - 8}" y="{top + 14}" text-anchor="end">{escape(label)}</text>')
        if share is None:
            parts.append(f'<text class="sc-axis" x="{label_w + 4}" y="{top + 14}">not measured yet</text>')
            continue
        css = "sc-bar-met" if share >= 1 else "sc-bar-missed"
        parts.append(f'<rect class="{css}" x="{label_w}" y="{top}" width="{plot_w * share / scale:.1f}" height="18"/>')
        parts.append(
            f'<text class="sc-axis" x="{label_w + plot_w * share / scale + 4:.1f}" y="{top + 14}">'
            f"{share * 100:.0f} %</text>"
        )
    parts.append(f'<line class="sc-target" x1="{target_x:.1f}" x2="{target_x:.1f}" y1="2" y2="{height - 16}"/>')
    parts.append(f'<text class="sc-axis" x="{target_x:.1f}" y="{height - 4}" text-anchor="middle">target</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]


def heatmap_table(caption: str, heatmap: Heatmap, day_names: Sequence[str]) -> Markup:
    """A channel's engagement rate by weekday (columns) and hour (rows) as a table, shaded by its
    rate against the channel's best: the table is the chart, so screen readers read the numbers.
    Every cell says how many posts it rests on; a thin one is greyed and says why it shows no rate."""
    n = heatmap.min_posts
    head = "".join(
        f'<th scope="col">{escape(name[:3])}<span class="sc-sr">{escape(name[3:])}</span></th>' for name in day_names
    )
    rows = []
    for hour in heatmap.hours:
        cells = []
        for weekday in range(7):
            cells.append(_heat_cell(heatmap, heatmap.cell(weekday, hour), n))
        rows.append(f'<tr><th scope="row" class="sc-num">{hour:02d}:00</th>{"".join(cells)}</tr>')
    return Markup(
        '<div class="sc-scroll"><table class="sc-table sc-heatmap">'
        f"<caption>{escape(caption)}</caption>"
        f'<thead><tr><th scope="col">Hour</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _heat_cell(heatmap: Heatmap, cell: Cell | None, n: int) -> str:
    if cell is None:
        return '<td class="sc-heat sc-heat-none"><span class="sc-sr">no posts</span></td>'
    posts = f"{cell.posts} post{'s' if cell.posts != 1 else ''}"
    if cell.thin:
        why = f"too few posts to tell (fewer than {n})"
        return (
            f'<td class="sc-heat sc-heat-thin" title="{escape(posts)}: {escape(why)}">'
            f'<span class="sc-heat-rate">too few</span><span class="sc-heat-n">{posts}</span>'
            f'<span class="sc-sr">: {escape(why)}</span></td>'
        )
    if cell.rate is None:
        return (
            f'<td class="sc-heat sc-heat-thin" title="{posts}: no impressions reported">'
            f'<span class="sc-heat-rate">no impressions</span><span class="sc-heat-n">{posts}</span></td>'
        )
    best = cell is heatmap.best
    mark = '<span class="sc-heat-best">best</span>' if best else ""
    return (
        f'<td class="sc-heat sc-heat-{heatmap.level(cell)}{" sc-heat-top" if best else ""}">'
        f'<span class="sc-heat-rate">{cell.rate:.2f} %</span><span class="sc-heat-n">{posts}</span>{mark}</td>'
    )


def growth_multiples(title: str, x_labels: Sequence[str], lines: Sequence[Line], notes: Sequence[str]) -> Markup:
    """One small bar chart per line of signed values (a month's new followers: a loss goes below
    the zero line), on a shared scale; `notes` say under each title where the count stands."""
    values = [v for line in lines for v in line.values if v is not None]
    top = _round_up(max([0.0, *values]))
    bottom = -_round_up(-min(values)) if values and min(values) < 0 else 0.0
    cells = "".join(
        f'<div class="sc-multiple {escape(line.css)}"><p class="sc-multiple-title">{escape(line.label)}</p>'
        f'<p class="sc-multiple-note">{escape(note)}</p>'
        f"{_signed_bars(f'{title}: {line.label}', x_labels, line.values, top, bottom)}</div>"
        for line, note in zip(lines, notes, strict=True)
    )
    return Markup(f'<div class="sc-multiples">{cells}</div>')


def _round_up(value: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that reaches `value` (at least 1)."""
    return min(s * 10.0**k for s in (1, 2, 2.5, 5) for k in range(0, 12) if s * 10.0**k >= max(value, 1.0))


def _signed_bars(title: str, x_labels: Sequence[str], values: Sequence[float | None], top: float, bottom: float) -> str:
    n = max(len(values), 1)
    left = LEFT + 14  # room for a loss's label (−10k): wider than the other charts' axes
    plot_w, plot_h = W - left - RIGHT, H - TOP - BOTTOM

    def y(v: float) -> float:
        return TOP + plot_h * (top - v) / (top - bottom)

    parts = [
        f'<svg class="sc-chart sc-line-chart sc-growth-chart" viewBox="0 0 {W} {H}" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{_id(title)}-t">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
    ]
    ticks = sorted({top, top / 2, 0.0, bottom} if bottom else {top, top / 2, 0.0})
    for value in ticks:
        css = "sc-grid-line sc-zero-line" if value == 0 else "sc-grid-line"
        parts.append(f'<line class="{css}" x1="{left}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        sign = "−" if value < 0 else ""
        parts.append(
            f'<text class="sc-axis" x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
            f"{sign}{escape(_short(abs(value)))}</text>"
        )
    slot = plot_w / n
    for i, value in enumerate(values):
        if value is None:  # a month without a count: no bar (the table says so)
            continue
        x0, y0, y1 = left + slot * i + slot * 0.15, y(max(value, 0.0)), y(min(value, 0.0))
        css = "sc-bar-gain" if value >= 0 else "sc-bar-loss"
        parts.append(f'<rect class="{css}" x="{x0:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" height="{y1 - y0:.1f}"/>')
    shown = sorted({0, n // 2, n - 1}) if n > 2 else list(range(n))
    for i in shown:
        if i < len(x_labels):
            anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
            x = left + slot * i + (0 if anchor == "start" else slot if anchor == "end" else slot / 2)
            parts.append(
                f'<text class="sc-axis" x="{x:.1f}" y="{H - BOTTOM + 8}" text-anchor="{anchor}" '
                f'dominant-baseline="hanging">{escape(x_labels[i])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
