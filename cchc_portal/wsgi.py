"""WSGI entry point (gunicorn cchc_portal.wsgi). Production settings unless told otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings_production")

application = get_wsgi_application()
