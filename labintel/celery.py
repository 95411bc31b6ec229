"""The Celery application. All configuration lives in settings.py under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labintel.settings")

app = Celery("labintel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
