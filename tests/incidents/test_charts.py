"""The SVG bar chart's geometry, written with decimal points whatever the page's language."""

from incidents import charts

# What a chart is wide on a 390 px phone: the page, a card and their paddings and borders.
PHONE_CHART_PX = 390 - 2 * 16 - 2 * 16 - 2


def test_bars_scale_to_the_maximum_with_a_target_line_and_links() -> None:
    chart = charts.bar_chart(
        [("2026-10", 0.5), ("2026-11", None)],
        maximum=1.0,
        target=0.9,
        percent=True,
        links=["/rows/?key=2026-10", "/rows/?key=2026-11"],
    )
    first, second = chart.bars
    # Short labels beside the bars: the bars start after a column of 76 and have 236 to grow.
    assert (first.x, first.width, first.height, first.y) == ("76.0", "118.0", "16.0", "5.0")
    assert (second.y, second.width, second.text) == ("31.0", "0.0", "–")
    assert first.text == "50%"
    assert chart.target_x == "288.4"
    assert chart.height == 52
    assert [bar.href for bar in chart.bars] == ["/rows/?key=2026-10", "/rows/?key=2026-11"]


def test_counts_scale_to_the_longest_bar_without_links() -> None:
    chart = charts.bar_chart([("a", 2), ("b", 4)])
    assert [bar.width for bar in chart.bars] == ["118.0", "236.0"]
    assert [bar.text for bar in chart.bars] == ["2", "4"]
    assert chart.target_x is None
    assert [bar.href for bar in chart.bars] == ["", ""]


def test_a_long_label_is_written_in_full_above_its_bar() -> None:
    [bar] = charts.bar_chart([("Alvorlig patientsikkerhedsrisiko", 3)]).bars
    assert bar.label == "Alvorlig patientsikkerhedsrisiko"
    assert (bar.label_x, bar.label_y, bar.x, bar.y) == ("0.0", "14.0", "0.0", "20.0")


def test_the_value_is_written_after_the_end_of_its_bar() -> None:
    [bar] = charts.bar_chart([("Råd og vejledning", 7)]).bars
    assert float(bar.text_x) == float(bar.x) + float(bar.width) + 4
    assert float(bar.width) + 4 + charts.VALUE_ROOM - 4 <= charts.WIDTH


def test_labels_are_at_least_12_px_on_a_390_px_phone() -> None:
    assert charts.FONT_SIZE * PHONE_CHART_PX / charts.WIDTH >= 12
