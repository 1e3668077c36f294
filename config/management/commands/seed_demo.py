from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.demo import ACCOUNTS, DEMO_PASSWORD, seed_accounts
from contacts.demo import SOR_DEMO, link_medcom_receivers, seed_directory
from handover.demo import seed_discharges
from handover.demo_history import seed_history
from incidents import summaries
from incidents.demo import seed_incidents


class Command(BaseCommand):
    help = "Create the demo directory, accounts and discharges. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Seed even with DEBUG off (never in production)."
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; it runs only with DEBUG=1 "
                "(or --force on a machine that is not production)."
            )
        with transaction.atomic():
            self.stdout.write("Telefonliste: hospitaler og afdelinger …")
            wards = seed_directory()
            self.stdout.write(f"  {len(wards)} afdelinger")
            self.stdout.write("SOR-register (MedComs eksempelkoder og demoens kommunale enheder) …")
            call_command("import_sor", SOR_DEMO, stdout=self.stdout)
            link_medcom_receivers()
            self.stdout.write("Demobrugere …")
            users = seed_accounts()
            self.stdout.write("Udskrivelser …")
            created = seed_discharges(users)
            self.stdout.write(f"  {created} nye udskrivelser")
            self.stdout.write("Et års tidligere udskrivelser med bekræftede udskrivelsespapirer …")
            self.stdout.write(f"  {seed_history(users)} nye udskrivelser")
            self.stdout.write("Utilsigtede hændelser …")
            self.stdout.write(f"  {seed_incidents(users)} nye rapporter")
            self.stdout.write("Statistik …")
            rows = summaries.refresh_recent(months=13)
            self.stdout.write(f"  {rows} rækker i oversigtstabellerne")
        self.stdout.write(self.style.SUCCESS("Demodata er klar. Log ind med:"))
        for username, (role, *_rest) in ACCOUNTS.items():
            self.stdout.write(f"  {username:<24} {role:<16} adgangskode: {DEMO_PASSWORD}")
