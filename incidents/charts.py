"""Server-rendered SVG bar charts: geometry only, drawn by templates/incidents/_bars.html.

The bars lie down, one row each, so a label is written out in full and never squeezed into a
column. The drawing is WIDTH units wide and is shown at most a little wider than that (app.css),
so on a phone of 390 px, where it is about 320 px wide, a FONT_SIZE label is still about 12 px.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 360
FONT_SIZE = 14
# Room after the longest bar for its value ("100%", "1234").
VALUE_ROOM = 48
# Labels this short ("2026-11", "2026-W47") sit beside their bar, in a column of LABEL_COLUMN
# units; longer ones ("Alvorlig patientsikkerhedsrisiko") above it.
SHORT_LABEL = 9
LABEL_COLUMN = 76
LONG_LABEL = 42
BAR_HEIGHT = 16
ROW_BESIDE, ROW_ABOVE = 26, 44


def svg_number(value: float) -> str:
    """One decimal and a decimal point, whatever the page's language."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    # Coordinates as SVG text, so the template needs no number filter per bar.
    x: str
    y: str
    width: str
    height: str
    label_x: str
    label_y: str
    text_x: str
    text_y: str
    href: str = ""  # the rows behind the bar


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    target_x: str | None
    width: int
    height: int
    font_size: int = FONT_SIZE


def _label(text: str) -> str:
    return text if len(text) <= LONG_LABEL else f"{text[: LONG_LABEL - 1]}…"


def bar_chart(
    points: list[tuple[str, float | None]],
    *,
    maximum: float | None = None,
    target: float | None = None,
    percent: bool = False,
    links: Sequence[str] = (),
) -> Chart:
    """One row per point, bars scaled to the longest value (or ``maximum``), with an optional
    target line; each bar links to ``links[index]`` when given."""
    values = [value or 0.0 for _label, value in points]
    top = maximum or max(values, default=0.0) or 1.0
    beside = all(len(str(label)) <= SHORT_LABEL for label, _value in points)
    start = LABEL_COLUMN if beside else 0
    span = WIDTH - start - VALUE_ROOM
    row = ROW_BESIDE if beside else ROW_ABOVE
    bars = []
    for index, (label, value) in enumerate(points):
        top_y = index * row
        bar_y = top_y + (row - BAR_HEIGHT) / 2 if beside else top_y + FONT_SIZE + 6
        length = (value or 0.0) / top * span
        baseline = bar_y + BAR_HEIGHT - 3
        bars.append(
            Bar(
                label=str(label) if beside else _label(str(label)),
                value=value or 0.0,
                text="–" if value is None else (f"{value:.0%}" if percent else f"{value:g}"),
                x=svg_number(start),
                y=svg_number(bar_y),
                width=svg_number(length),
                height=svg_number(BAR_HEIGHT),
                label_x="0.0",
                label_y=svg_number(baseline if beside else top_y + FONT_SIZE),
                text_x=svg_number(start + length + 4),
                text_y=svg_number(baseline),
                href=links[index] if index < len(links) else "",
            )
        )
    target_x = svg_number(start + target / top * span) if target is not None else None
    return Chart(
        bars=bars,
        target_x=target_x,
        width=WIDTH,
        height=max(len(points), 1) * row,
    )
