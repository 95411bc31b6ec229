import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.common.periodic import EmbeddedBeat
from apps.sources import demo


class Command(BaseCommand):
    help = (
        "Serve the bundled demo corpus on loopback, ingest it through the real pipeline, create "
        "the demo admin login and run the dev server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="dev server port")
        parser.add_argument(
            "--demo-port",
            type=int,
            default=demo.DEFAULT_DEMO_PORT,
            help="demo feed server port; fixed so the demo's Source URLs stay the same across runs",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="stop after ingesting (no dev server)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.FETCH_ALLOW_LOOPBACK:
            raise CommandError(
                "The demo fetches its feeds from 127.0.0.1, which the network guard refuses: "
                "set FETCH_ALLOW_LOOPBACK=true (it defaults to on when DEBUG is on)."
            )
        try:
            server = demo.serve_demo(demo.DEMO_ROOT, port=options["demo_port"])
        except demo.DemoServerError as error:
            raise CommandError(str(error)) from error
        with server:
            self._prepare(server, port=options["port"], quiet=options["verbosity"] == 0)
            if not options["no_serve"]:
                self._serve(port=options["port"])

    def _serve(self, *, port: int) -> None:
        if "SITE_URL" not in os.environ:
            # Links in mail and feeds point at this server, whatever port it was given.
            settings.SITE_URL = f"http://127.0.0.1:{port}"
        # The feed server keeps serving from its thread, so "fetch now" in admin works. Without
        # a broker there is no `celery beat` either: the same schedule runs on a thread here, so
        # sources are polled and digests go out at their hours while the demo runs.
        beat = (
            EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
            if settings.CELERY_TASK_ALWAYS_EAGER
            else None
        )
        if beat:
            beat.start()
            self.stdout.write("Periodic tasks (polling, sweeps, digests) run in this process.")
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            if beat:
                beat.stop()

    def _prepare(self, server: demo.DemoServer, *, port: int, quiet: bool) -> None:
        self.stdout.write(f"Demo feeds served at {server.base_url}/")
        sources = demo.add_demo_sources(server)
        self.stdout.write(f"{len(sources)} demo sources: " + ", ".join(s.feed_url for s in sources))
        report = demo.ingest_with_progress(quiet=quiet)
        self.stdout.write(
            f"Fetched {report.sources_fetched} feeds ({report.fetch_errors} failed), "
            f"{report.articles_created} new articles, {report.articles_extracted} extracted."
        )
        login = demo.reset_demo_login()
        self.stdout.write(self.style.SUCCESS(f"LabIntel: http://127.0.0.1:{port}/"))
        self.stdout.write(self.style.SUCCESS(f"Admin: http://127.0.0.1:{port}/admin/"))
        self.stdout.write(
            self.style.SUCCESS(f"Login: {login.username} / {login.password}")
            + "  (a new password is generated on every run)"
        )
