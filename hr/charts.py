"""Horizontal bar charts drawn as SVG on the server: no JavaScript, no CDN, readable on a phone.

Each item gets its label on a line of its own above the bar, so long course
titles never collide with the bars at any screen width.
"""

from dataclasses import dataclass

WIDTH = 640
BAR_SPACE = WIDTH - 90
ROW_HEIGHT = 46
BAR_HEIGHT = 18
MAX_LABEL = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    total: int | None
    label_y: int
    bar_y: int
    value_y: int
    width: int
    total_width: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    bar_height: int


def bar_chart(*, title: str, items: list[tuple[str, int, int | None]]) -> BarChart:
    """`items` are (label, value, total or None); a total draws a pale track that the bar fills."""
    scale = max([value for _label, value, _total in items] + [total or 0 for _l, _v, total in items] + [1])
    bars = []
    for index, (label, value, total) in enumerate(items):
        top = index * ROW_HEIGHT
        width = round(BAR_SPACE * value / scale)
        bars.append(
            Bar(
                label=label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…",
                value=value,
                total=total,
                label_y=top + 15,
                bar_y=top + 21,
                value_y=top + 21 + BAR_HEIGHT - 4,
                width=width,
                total_width=round(BAR_SPACE * (total or 0) / scale),
                value_x=max(width, round(BAR_SPACE * (total or 0) / scale)) + 6,
            )
        )
    return BarChart(title=title, bars=bars, width=WIDTH, height=len(items) * ROW_HEIGHT + 4, bar_height=BAR_HEIGHT)
