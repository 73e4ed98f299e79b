"""Plugins that exist only for tests, registered directly with ``@pytest.mark.plugins``."""

from core.toolkit import CatalogueItem, ContentKind, DecidingBody, SubjectRule, hookimpl


class TownRules:
    """A town's catalogue: one item that goes to the shareholders' meeting."""

    @hookimpl
    def xs_register_catalogue_items(self, jurisdiction):
        return [
            CatalogueItem(
                code="town_rules.collective_land",
                title="集体土地出租方案（测试条目）",
                kind=ContentKind.PUBLIC_AFFAIRS,
                deciding_bodies=(DecidingBody.SHAREHOLDER_MEETING,),
                subject_rule=SubjectRule.REGISTERED_ONLY,
                offline_required=True,
                plugin="town_rules",
            )
        ]


class UnknownHook:
    """Implements a hook the platform does not define."""

    @hookimpl
    def xs_no_such_hook(self):
        return []


TEST_PLUGINS = {"town_rules": TownRules(), "unknown_hook": UnknownHook()}
