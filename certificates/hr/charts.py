"""Horizontal bar charts drawn as SVG on the server: no JavaScript, no CDN, readable on a phone."""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 260
BAR_SPACE = WIDTH - LABEL_WIDTH - 70
ROW_HEIGHT = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    total: int | None
    y: int
    text_y: int
    width: int
    total_width: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    bar_x: int


def bar_chart(*, title: str, items: list[tuple[str, int, int | None]]) -> BarChart:
    """`items` are (label, value, total or None); a total draws a pale track the bar fills."""
    scale = max([value for _label, value, _total in items] + [total or 0 for _l, _v, total in items] + [1])
    bars = []
    for index, (label, value, total) in enumerate(items):
        y = index * ROW_HEIGHT + 4
        width = round(BAR_SPACE * value / scale)
        bars.append(
            Bar(
                label=label if len(label) <= 38 else label[:37] + "…",
                value=value,
                total=total,
                y=y,
                text_y=y + 16,
                width=width,
                total_width=round(BAR_SPACE * (total or 0) / scale),
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return BarChart(title=title, bars=bars, width=WIDTH, height=len(items) * ROW_HEIGHT + 8, bar_x=LABEL_WIDTH)
