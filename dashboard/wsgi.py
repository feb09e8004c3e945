"""For production servers: `gunicorn 'dashboard.wsgi:server'`. Builds the app on import
(this module exists only to be imported by a WSGI server)."""
from .app import create_app, settle_heap

app = create_app()
server = app.server
settle_heap()
