from django.core.management.base import BaseCommand

from programs.library_loader import LIBRARY_FILE, load_library


class Command(BaseCommand):
    help = "Load or update the exercise library and curated programs (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", default=str(LIBRARY_FILE), help="TOML file to load.")

    def handle(self, *args, **options) -> None:
        from pathlib import Path

        report = load_library(Path(options["file"]))
        self.stdout.write(self.style.SUCCESS(f"Library loaded. {report}"))
