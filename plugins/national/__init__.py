"""The national defaults (中办/国办《关于加强城乡社区协商的意见》, 2015): always on.

Every jurisdiction inherits them; town and provincial plugins add to them.
"""

from core.toolkit import CatalogueItem, ContentKind, _l, hookimpl

ALWAYS_ON = True
__version__ = "1.0.0"


@hookimpl
def xs_register_catalogue_items(jurisdiction):
    """The five kinds of consultation content of the national opinion (seed 004 §二(一))."""
    return [
        CatalogueItem(
            code="national.public_affairs",
            title=_l("Public affairs and public-welfare undertakings that touch residents' "
                     "interests"),
            kind=ContentKind.PUBLIC_AFFAIRS,
            plugin="national",
        ),
        CatalogueItem(
            code="national.difficulties",
            title=_l("Pressing practical difficulties and disputes residents raise"),
            kind=ContentKind.DIFFICULTIES,
            plugin="national",
        ),
        CatalogueItem(
            code="national.policy",
            title=_l("Carrying out the policies and key tasks of the party and government"),
            kind=ContentKind.POLICY,
            plugin="national",
        ),
        CatalogueItem(
            code="national.legal_requirement",
            title=_l("Matters that laws, regulations and policies require to be consulted"),
            kind=ContentKind.LEGAL_REQUIREMENT,
            plugin="national",
        ),
        CatalogueItem(
            code="national.subject_request",
            title=_l("Other matters that subjects ask to consult on"),
            kind=ContentKind.SUBJECT_REQUEST,
            plugin="national",
        ),
    ]
