"""The plugins' own tests use the platform's test fixtures (a real database, the demo)."""

from tests.conftest import (  # noqa: F401
    app,
    auth,
    client,
    database_url,
    demo,
    example_plugin,
    make_app,
    runner,
)
