from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "apps.events"
    label = "events"
    verbose_name = "Mentions and events"

    def ready(self) -> None:
        from apps.events import receivers  # noqa: F401 - connects the pipeline's next stage
