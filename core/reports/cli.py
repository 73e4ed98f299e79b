"""``flask reports``: assessment reports built from the command line."""


import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from core.kernel import permissions
from core.kernel.cli import fail
from core.kernel.errors import DomainError
from core.places import tree
from core.reports import saved as reporting
from core.reports import sections as reports
from core.reports import views as report_pages

reports_cli = AppGroup("reports", help="Generate assessment reports.")

@reports_cli.command("build")
@click.option("--jurisdiction", "code", required=True, help="The reported subtree's code.")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--kind", default="assessment",
              type=click.Choice(["assessment", "self_inspection", "pilot_review"]))
@click.option("--format", "form", default="html", type=click.Choice(["xlsx", "pdf", "html"]))
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
def reports_build_command(code, start, end, kind, form, output):
    """Generate a report, save it with its digest, and write it as XLSX, PDF or HTML."""

    try:
        saved = reporting.generate(permissions.SYSTEM, tree.by_code(code), kind=kind,
                                   start=start.date(), end=end.date())
    except DomainError as error:
        fail(error.message)
    if form == "xlsx":
        data = reports.xlsx(saved.content)
    elif form == "pdf":
        data = report_pages.pdf(saved)
    else:
        data = report_pages.html(saved).encode("utf-8")
    with open(output, "wb") as handle:
        handle.write(data)
    click.echo(_("Saved report %(id)s (digest %(digest)s) to %(path)s.", id=saved.id,
                 digest=saved.digest[:12], path=output))
