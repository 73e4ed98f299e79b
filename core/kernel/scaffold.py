"""`flask plugins new NAME`: the starting package for a town's own plugin."""

import os
import re
import textwrap

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")

FILES = {
    "pyproject.toml": '''\
        [build-system]
        requires = ["setuptools>=68"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "xs-{dash}"
        version = "0.1.0"
        description = "{name}: consultation rules for xieshang"
        dependencies = ["xieshang"]

        [project.entry-points."xieshang.plugins"]
        {name} = "xs_{name}"

        [tool.setuptools.package-data]
        xs_{name} = ["templates/**/*", "static/**/*", "translations/**/*", "migrations/*.py"]
        ''',
    "README.md": '''\
        # xs-{dash}

        A xieshang plugin. Install it beside the platform and switch it on:

            pip install -e .
            # add "{name}" to XS_PLUGINS in instance/config.py, then
            flask plugins enable {name} JURISDICTION_CODE

        `xs_{name}/__init__.py` implements the hooks; `tests/` has a test that loads it.
        ''',
    "xs_{name}/__init__.py": '''\
        """{name}: this town's catalogue items and procedure."""

        from core.toolkit import (
            CatalogueItem,
            ContentKind,
            DecidingBody,
            Phase,
            Procedure,
            Step,
            SubjectRule,
            _l,
            hookimpl,
        )

        __version__ = "0.1.0"

        PROCEDURE = Procedure(
            key="{name}",
            title=_l("Our procedure"),
            plugin="{name}",
            steps=(
                Step("define", _l("Settle the topic and its subjects"),
                     (Phase.DEFINE, Phase.SUBJECTS)),
                Step("notify", _l("Give notice"), (Phase.NOTIFY,)),
                Step("consult", _l("Consult and confirm"), (Phase.CONSULT, Phase.CONFIRM)),
                Step("publish", _l("Publish and carry out"), (Phase.PUBLISH, Phase.IMPLEMENT)),
            ),
        )


        @hookimpl
        def xs_register_catalogue_items(jurisdiction):
            return [
                CatalogueItem(code="{name}.collective_assets", title=_l("Collective assets"),
                              kind=ContentKind.PUBLIC_AFFAIRS,
                              deciding_bodies=(DecidingBody.REPRESENTATIVE_MEETING,),
                              subject_rule=SubjectRule.REGISTERED_ONLY, plugin="{name}"),
                CatalogueItem(code="{name}.neighbourhood", title=_l("Neighbourhood matters"),
                              kind=ContentKind.PUBLIC_AFFAIRS, plugin="{name}"),
            ]


        @hookimpl
        def xs_register_procedures(jurisdiction):
            return [PROCEDURE]


        @hookimpl
        def xs_register_default_settings(jurisdiction):
            return {{"procedure": PROCEDURE.key}}
        ''',
    "xs_{name}/templates/.keep": "",
    "tests/test_{name}.py": '''\
        """The plugin loads through its entry point and offers its items where enabled."""

        from core import create_app
        from core.consultation import topics
        from core.kernel import permissions
        from core.kernel.extensions import db
        from core.places import plugin_settings
        from core.places import tree as jurisdictions


        def test_{name}_loads_and_offers_its_catalogue(tmp_path):
            app = create_app({{"SQLALCHEMY_DATABASE_URI": f"sqlite:///{{tmp_path}}/t.db",
                              "XS_PLUGINS": ["national", "{name}"]}})
            assert "{name}" in app.extensions["xieshang.plugins"].names()
            with app.app_context():
                db.create_all()
                town = jurisdictions.create(permissions.SYSTEM, code="441900999000",
                                            name="试点镇", level="town", parent=None)
                plugin_settings.enable(permissions.SYSTEM, "{name}", town)
                codes = [item.code for item in topics.catalogue_at(town)]
                assert "{name}.collective_assets" in codes
        ''',
}

MESSAGES = {
    "Our procedure": "本镇协商程序",
    "Settle the topic and its subjects": "确定议题和协商主体",
    "Give notice": "公布协商信息",
    "Consult and confirm": "开展协商并确认成果",
    "Publish and carry out": "公布结果并组织实施",
    "Collective assets": "集体资产事项",
    "Neighbourhood matters": "邻里事务",
}


def create(name, folder):
    """Write the package for plugin ``name`` under ``folder``; return the package's path."""
    if not NAME.match(name or ""):
        raise ValueError("name")
    root = os.path.join(folder, f"xs-{name.replace('_', '-')}")
    if os.path.exists(root):
        raise FileExistsError(root)
    values = {"name": name, "dash": name.replace("_", "-")}
    for path, text in FILES.items():
        target = os.path.join(root, path.format(**values))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(text).format(**values))
    catalogue = Catalog(locale="zh_Hans_CN", project=f"xs-{name}")
    for message, translation in MESSAGES.items():
        catalogue.add(message, translation)
    messages = os.path.join(root, f"xs_{name}", "translations", "zh_Hans_CN", "LC_MESSAGES")
    os.makedirs(messages)
    with open(os.path.join(messages, f"{name}.po"), "wb") as handle:
        write_po(handle, catalogue)
    with open(os.path.join(messages, f"{name}.mo"), "wb") as handle:
        write_mo(handle, catalogue)
    return root
