from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone

from handover.models import Discharge
from incidents import summaries


class Command(BaseCommand):
    help = (
        "Rebuild the statistics' summary tables (discharges per month, calls per week). "
        "Beat refreshes the last two months every five minutes and the last 13 every night; "
        "run this after importing older data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=13, help="Months back (default 13)")
        parser.add_argument("--all", action="store_true", help="From the first discharge")

    def handle(self, *args: Any, months: int, all: bool, **options: Any) -> None:
        today = timezone.localdate()
        if all:
            first = Discharge.objects.aggregate(first=Min("discharged_at"))["first"]
            start = summaries.month_start(timezone.localdate(first) if first else today)
        elif months < 1:
            raise CommandError("--months skal være mindst 1.")
        else:
            start = summaries.months_back(today, months)
        self.stdout.write(f"Opdaterer statistik fra {start:%Y-%m} til {today:%Y-%m} …")
        rows = summaries.refresh(start, summaries.month_start(today), progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Færdig: {rows:,} rækker skrevet."))
