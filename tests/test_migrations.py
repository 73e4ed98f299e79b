"""The migrations build exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.extensions import db


def test_no_drift_between_models_and_migrations(app):
    # The test database was built by `flask db upgrade` (see conftest).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_run_from_an_empty_database_on_the_command_line(make_app, tmp_path):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/fresh.db"})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    from sqlalchemy import create_engine, inspect

    tables = set(inspect(create_engine(f"sqlite:///{tmp_path}/fresh.db")).get_table_names())
    assert set(db.metadata.tables) <= tables
