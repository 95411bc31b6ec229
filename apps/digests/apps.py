from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "apps.digests"
    label = "digests"
    verbose_name = "Digests"
