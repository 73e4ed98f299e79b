"""The migrations build exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from core.kernel.extensions import db


def test_no_drift_between_models_and_migrations(app):
    # The test database was built by `flask db upgrade` (see conftest).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_plain_db_upgrade_applies_the_core_and_every_plugin_branch(make_app, tmp_path,
                                                                  example_plugin):
    url = f"sqlite:///{tmp_path}/fresh.db"
    app = make_app({"SQLALCHEMY_DATABASE_URI": url,
                    "XS_PLUGINS": ["national", "dongguan", example_plugin]})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) == set(db.metadata.tables) | {"alembic_version"}
    with engine.connect() as connection:
        heads = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    # One head for the core's branch and one for each plugin's.
    assert {"vn_0001", "dg_0001"} <= heads and len(heads) == 3
    engine.dispose()
