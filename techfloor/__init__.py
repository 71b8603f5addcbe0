"""TechFloor project package: settings, URLs, the Celery app."""

from techfloor.celery_app import app as celery_app

__all__ = ["celery_app"]
