"""WSGI entry point for gunicorn: `gunicorn backcare.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

application = get_wsgi_application()
