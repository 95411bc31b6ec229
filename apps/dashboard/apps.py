from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The pages readers see. No models: each page reads across the other apps."""

    name = "apps.dashboard"
    label = "dashboard"
