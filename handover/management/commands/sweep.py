from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from handover.services import notifications, sweeps


class Command(BaseCommand):
    help = (
        "Run the sweeps (missing documentation, nearing expiry, expired) and deliver pending "
        "notifications, now or at a simulated moment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            help="ISO 8601 time with offset, e.g. 2026-11-24T12:00:00+01:00 (default: now)",
        )

    def handle(self, *args: Any, at: str | None = None, **options: Any) -> None:
        moment = self._parse(at) if at else timezone.now()
        self.stdout.write(f"Sweep kl. {timezone.localtime(moment):%d-%m-%Y %H:%M:%S}")
        report = sweeps.run_all(at=moment)
        self.stdout.write(
            f"  Nye advarsler: {report.missing_documentation} manglende dokumentation, "
            f"{report.nearing_expiry} snart udløbet"
        )
        self.stdout.write(f"  Udløbne perioder: {report.expired}")
        sent = notifications.deliver_pending(now=moment if at is None else timezone.now())
        self.stdout.write(f"  Sendte notifikationer: {sent}")

    @staticmethod
    def _parse(text: str) -> datetime:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise CommandError(f"--at is not an ISO 8601 time: {text!r}") from error
        if timezone.is_naive(moment):
            raise CommandError("--at needs an offset (+01:00 or Z): a naive time is ambiguous")
        return moment
