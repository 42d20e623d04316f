from django.core.management.base import BaseCommand

from programs.services import rollups


class Command(BaseCommand):
    help = (
        "Recompute everyone's day-by-day totals (minutes and sessions per muscle group) "
        "from their recorded steps. Safe to run at any time."
    )

    def handle(self, *args, **options) -> None:
        days = rollups.recompute()
        self.stdout.write(self.style.SUCCESS(f"Day totals rebuilt: {days} person-days."))
