"""The WSGI entry point: ``gunicorn wsgi:app``; also what ``flask`` finds by default."""

from core import create_app

app = create_app()
