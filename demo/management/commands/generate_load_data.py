from django.core.management.base import BaseCommand, CommandError

from demo.load_data import generate_load_data


class Command(BaseCommand):
    help = (
        "Fill the database with volume data for benchmarks: officers, courses of quiz modules, "
        "enrolments, graded attempts with answers and certificates (bulk inserts; adds a new batch each run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--officers", type=int, default=10_000)
        parser.add_argument("--courses", type=int, default=100)
        parser.add_argument("--attempts-per-officer", type=int, default=20)
        parser.add_argument("--modules-per-course", type=int, default=5)
        parser.add_argument("--questions-per-quiz", type=int, default=5)
        parser.add_argument(
            "--no-demo", action="store_true", help="Skip seed_demo (the catalog and agencies must exist already)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")

    def handle(self, *args, **options):
        for name in ("officers", "courses", "attempts_per_officer", "modules_per_course", "questions_per_quiz"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} must be 0 or more.")
        for name in ("modules_per_course", "questions_per_quiz"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if options["attempts_per_officer"] and not options["courses"]:
            raise CommandError("--attempts-per-officer needs at least one course (--courses).")
        try:
            report = generate_load_data(
                officers=options["officers"],
                courses=options["courses"],
                attempts_per_officer=options["attempts_per_officer"],
                modules_per_course=options["modules_per_course"],
                questions_per_quiz=options["questions_per_quiz"],
                seed=options["seed"],
                with_demo=not options["no_demo"],
                echo=lambda line: self.stdout.write(line),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("\n".join(report.lines())))
