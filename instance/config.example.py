# Copy to instance/config.py (or run `flask xs init`, which writes one with a
# random secret key). Every setting is documented in core/config.py.
SECRET_KEY = "change me: a long random string"

# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://xieshang@127.0.0.1/xieshang"
# XS_PLUGINS = ["national"]
SESSION_COOKIE_SECURE = False
