"""Server-rendered SVG bar charts: geometry only, drawn by templates/incidents/_bars.svg."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, GAP, TOP = 600, 220, 6, 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float
    href: str = ""  # the rows behind the bar


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    target_y: float | None
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
                x=index * slot + GAP / 2,
                y=HEIGHT - height,
                width=max(slot - GAP, 1),
                height=height,
                href=links[index] if index < len(links) else "",
            )
        )
    target_y = HEIGHT - target / top * (HEIGHT - TOP) if target is not None else None
    return Chart(bars=bars, target_y=target_y)
