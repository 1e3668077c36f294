"""The worklist's, the board's and the not-covered list's rows as ``<tr>`` elements.

A page lists a few hundred rows (``handover.rows``). A Jinja2 loop rendered each row in some
forty yields, 30,000 instructions a row and a fifth of a worklist of 200; ``str.format`` needs
3 µs a row to find its fields by name. Here a row is one f-string of its markup (0.5 µs). Each
distinct text is escaped once (the rows repeat their wards, towns and labels), each distinct
set of badges is made once, and the labels are the page's. The views put the result in the
page's ``<tbody>``.
"""

import html
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from handover.rows import Row

Text = Callable[[str], str]  # a text, escaped


def worklist_html(rows: list[Row]) -> SafeString:
    label = _labels(
        patient=_("Patient"),
        ward=_("Afdeling"),
        town=_("Kommune"),
        until=_("Ansvar til"),
        left=_("Timer tilbage"),
        missing=_("Mangler"),
        extended=_("forlænget"),
    )
    text = _Escaped().__getitem__
    extended = _extended_badge(label)
    complete = f'<span class="badge badge-ok">{text(_("komplet"))}</span>'
    badges = _Badges(text, complete=complete, alert_kind="warn")

    def row_html(row: Row) -> str:
        return f"""
<tr>
  <td data-label="{label["patient"]}"><a href="{row["url"]}">{text(row["name"])}</a><br>
    <span class="hint">{text(row["cpr_masked"])}</span></td>
  <td data-label="{label["ward"]}">{text(row["ward"])}</td>
  <td data-label="{label["town"]}">{text(row["town"])}</td>
  <td data-label="{label["until"]}">{row["ends"]}{extended[row["extended"]]}</td>
  <td data-label="{label["left"]}">{row["hours"]}</td>
  <td data-label="{label["missing"]}">{badges[row["missing"], row["alerts"]]}</td>
</tr>"""

    return _joined(map(row_html, rows), columns=6, empty=_("Ingen aktive vinduer."))


def board_html(rows: list[Row]) -> SafeString:
    label = _labels(
        citizen=_("Borger"),
        until=_("Ansvar til"),
        left=_("Timer tilbage"),
        ward=_("Afdeling"),
        call=_("Ring nu"),
        alerts=_("Advarsler"),
        log=_("Registrér opkald"),
        extended=_("forlænget"),
    )
    text = _Escaped().__getitem__
    extended = _extended_badge(label)
    badges = _Badges(text, complete="", alert_kind="alert")

    def row_html(row: Row) -> str:
        return f"""
<tr>
  <td data-label="{label["citizen"]}">{text(row["name"])}
    <span class="hint">{text(row["cpr_masked"])}</span></td>
  <td data-label="{label["until"]}">{row["ends"]}{extended[row["extended"]]}</td>
  <td data-label="{label["left"]}">{row["hours"]}</td>
  <td data-label="{label["ward"]}">{text(row["ward"])}, {text(row["hospital"])}</td>
  <td data-label="{label["call"]}"><a class="phone" href="tel:{text(row["phone"])}">
    <strong>{text(row["phone_display"])}</strong></a>
    <span class="hint">{text(row["phone_reason"])}</span></td>
  <td data-label="{label["alerts"]}">{badges[(), row["alerts"]]}
    <a href="{row["url"]}">{label["log"]}</a></td>
</tr>"""

    empty = _("Ingen borgere i kommunen har aktivt behandlingsansvar på et hospital lige nu.")
    return _joined(map(row_html, rows), columns=6, empty=empty)


def not_covered_html(rows: list[Row]) -> SafeString:
    label = _labels(
        patient=_("Patient"), ward=_("Afdeling"), discharged=_("Udskrevet"), reason=_("Årsag")
    )
    text = _Escaped().__getitem__

    def row_html(row: Row) -> str:
        return f"""
<tr><td data-label="{label["patient"]}"><a href="{row["url"]}">{text(row["name"])}</a>
  <span class="hint">{text(row["cpr_masked"])}</span></td>
<td data-label="{label["ward"]}">{text(row["ward"])}</td>
<td data-label="{label["discharged"]}">{row["discharged"]}</td>
<td data-label="{label["reason"]}">{text(row["reason"])}</td></tr>"""

    return _joined(map(row_html, rows), columns=4, empty=_("Ingen."))


def _extended_badge(label: dict[str, str]) -> tuple[str, str]:
    """The badge of a row by whether its window is extended: none, or the page's label."""
    return "", f' <span class="badge badge-warn">{label["extended"]}</span>'


def _labels(**labels: str) -> dict[str, str]:
    return {key: _escape(text) for key, text in labels.items()}


def _joined(rows: Iterable[str], *, columns: int, empty: str) -> SafeString:
    """The rows, or one row saying there are none. Every value in them is escaped."""
    joined = "".join(rows) or f'\n<tr><td colspan="{columns}">{_escape(empty)}</td></tr>'
    return mark_safe(joined)  # noqa: S308 - escaped


class _Escaped(dict[str, str]):
    """Texts and their escaped forms, each escaped at its first use."""

    def __missing__(self, text: str) -> str:
        self[text] = escaped = _escape(text)
        return escaped


class _Badges(dict[tuple[tuple[str, ...], tuple[str, ...]], str]):
    """A row's badges by its missing documentation and its open alerts, made once for each set
    (a page's rows share a few): the missing items, then the alerts, or ``complete``."""

    def __init__(self, text: Text, *, complete: str, alert_kind: str) -> None:
        super().__init__()
        self.text = text
        self.complete = complete
        self.alert_kind = alert_kind

    def __missing__(self, key: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
        missing, alerts = key
        made = "".join(self._badge("alert", item) for item in missing)
        made += "".join(self._badge(self.alert_kind, alert) for alert in alerts)
        self[key] = made = made or self.complete
        return made

    def _badge(self, kind: str, text: str) -> str:
        return f'<span class="badge badge-{kind}">{self.text(text)}</span> '


def _escape(value: Any) -> str:
    """Text escaped for HTML, attributes too (most has nothing to escape, which is quicker to
    see than to escape); anything else as its text."""
    text = value if isinstance(value, str) else str(value)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text)
    return text
