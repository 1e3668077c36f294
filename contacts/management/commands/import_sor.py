"""``manage.py import_sor SorEntity_daily.csv``: load the national SOR export into the directory.

All or nothing: the file is read and checked whole before anything is written, and the units
are then written in one transaction (new ones added, known ones updated by SOR code).
"""

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from contacts.models import Municipality, SorUnit
from contacts.sor import BadExport, directory_changed, header_map, unit_from_row

BATCH = 2000


class Command(BaseCommand):
    help = "Import the national SOR export (CSV, ';'-separated, UTF-8, with a header row)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="SorEntity_daily.csv from the SOR2 export")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            units = self.read(file)
        except (OSError, UnicodeDecodeError, csv.Error, BadExport) as error:
            raise CommandError(f"{file}: {error}") from error
        self.store(units)

    def read(self, file: Path) -> list[SorUnit]:
        municipalities = {m.code: m for m in Municipality.objects.all()}
        units: dict[str, SorUnit] = {}
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        with file.open(encoding="utf-8-sig", newline="") as stream:
            rows = csv.reader(stream, delimiter=";")
            columns = header_map(next(rows, []))
            for line, row in enumerate(rows, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                values = unit_from_row(row, columns, line)
                code = values.get("municipality", "")
                units[values["sor_code"]] = SorUnit(
                    sor_code=values["sor_code"],
                    name=values["name"][:300],
                    ean=values.get("ean", ""),
                    parent_sor_code=values.get("parent_sor_code", ""),
                    unit_type=values.get("unit_type", "")[:100],
                    owner_type=values.get("owner_type", "")[:100],
                    municipality=municipalities.get(Municipality.normalise_code(code))
                    if code
                    else None,
                )
                if len(units) % 10_000 == 0:
                    self.stdout.write(f"  læst {len(units):,} enheder …")
        self.stdout.write(f"Læst {len(units):,} enheder fra {file.name}")
        return list(units.values())

    def store(self, units: list[SorUnit]) -> None:
        fields = ["name", "ean", "parent_sor_code", "unit_type", "owner_type", "municipality"]
        with transaction.atomic():
            for start in range(0, len(units), BATCH):
                SorUnit.objects.bulk_create(
                    units[start : start + BATCH],
                    update_conflicts=True,
                    unique_fields=["sor_code"],
                    update_fields=fields,
                )
                done = min(start + BATCH, len(units))
                self.stdout.write(
                    f"  gemt {done:,} af {len(units):,} ({100 * done // len(units)} %)"
                )
        directory_changed()  # MedCom messages are read by the new directory from now on
        self.stdout.write(self.style.SUCCESS(f"SOR-registret er opdateret: {len(units):,} enheder"))
