"""WSGI entry point: `gunicorn wsgi:app`."""
from supermarket import create_app

app = create_app()
