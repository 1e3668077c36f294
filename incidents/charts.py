"""Server-rendered SVG bar charts: geometry only, drawn by templates/incidents/_bars.svg."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, GAP, TOP = 600, 220, 6, 10


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
    href: str = ""  # the rows behind the bar


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    target_y: str | None
    width: int = WIDTH
    height: int = HEIGHT


def bar_chart(
    points: list[tuple[str, float | None]],
    *,
    maximum: float | None = None,
    target: float | None = None,
    percent: bool = False,
    links: Sequence[str] = (),
) -> Chart:
    """Bars scaled to the tallest value (or ``maximum``), with an optional target line; each bar
    links to ``links[index]`` when given."""
    values = [value or 0.0 for _label, value in points]
    top = maximum or max(values, default=0.0) or 1.0
    slot = WIDTH / max(len(points), 1)
    bars = []
    for index, (label, value) in enumerate(points):
        height = (value or 0.0) / top * (HEIGHT - TOP)
        bars.append(
            Bar(
                label=label,
                value=value or 0.0,
                text="–" if value is None else (f"{value:.0%}" if percent else f"{value:g}"),
                x=svg_number(index * slot + GAP / 2),
                y=svg_number(HEIGHT - height),
                width=svg_number(max(slot - GAP, 1)),
                height=svg_number(height),
                href=links[index] if index < len(links) else "",
            )
        )
    target_y = svg_number(HEIGHT - target / top * (HEIGHT - TOP)) if target is not None else None
    return Chart(bars=bars, target_y=target_y)
