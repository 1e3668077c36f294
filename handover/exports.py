"""CSV downloads, with every cell neutralised against formula injection.

A spreadsheet opening a CSV runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)`` sends the cells next to it elsewhere), and a tab or carriage return
in front does not stop it. Names, plans and usernames are typed by people and the downtime list
holds full CPR numbers, so every such cell gets a leading apostrophe, as OWASP's "CSV Injection"
advises: the spreadsheet then shows the text as text. Numbers the product computes are written
as numbers. Phone numbers are written as the product shows them ("44 88 44 88", not "+45...")
so that they need no apostrophe.
"""

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The cell as text, an apostrophe in front when a spreadsheet would read a formula."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(
    *, filename: str, rows: Iterable[Sequence[object]], header: Sequence[object] = ()
) -> HttpResponse:
    """A CSV download: UTF-8, semicolons (what a Danish spreadsheet expects), neutralised cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response, delimiter=";")
    if header:
        writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return response
