"""The SVG bar chart's geometry, written with decimal points whatever the page's language."""

from incidents import charts


def test_bars_scale_to_the_maximum_with_a_target_line_and_links() -> None:
    chart = charts.bar_chart(
        [("2026-10", 0.5), ("2026-11", None)],
        maximum=1.0,
        target=0.9,
        percent=True,
        links=["/rows/?key=2026-10", "/rows/?key=2026-11"],
    )
    first, second = chart.bars
    # Two slots of 300 px; a bar is its slot less the gap, from the bottom (220) up.
    assert (first.x, first.width, first.height, first.y) == ("3.0", "294.0", "105.0", "115.0")
    assert (second.x, second.height, second.text) == ("303.0", "0.0", "–")
    assert first.text == "50%"
    assert chart.target_y == "31.0"
    assert [bar.href for bar in chart.bars] == ["/rows/?key=2026-10", "/rows/?key=2026-11"]


def test_counts_scale_to_the_tallest_bar_without_links() -> None:
    chart = charts.bar_chart([("a", 2), ("b", 4)])
    assert [bar.height for bar in chart.bars] == ["105.0", "210.0"]
    assert [bar.text for bar in chart.bars] == ["2", "4"]
    assert chart.target_y is None
    assert [bar.href for bar in chart.bars] == ["", ""]
