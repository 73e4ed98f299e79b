"""Printable A4 notices for the physical board: PDF with Chinese text, short hash and QR code.

Presentation, like the views: it renders the notice's template, and is called by the
board's views and by the web layer for archives (services never call it).

Fonts come from the system (Debian's fonts-noto-cjk, installed by the project's
setup); nothing is fetched at run time.
"""

import segno
from flask import render_template

from core.board import entries as board_service


def qr_data_uri(url):
    return segno.make(url, error="m").svg_data_uri(scale=4)


def notice_html(node, entry, url):
    return render_template("board/print.html", node=node, entry=entry,
                           payload=entry.content.get("payload", {}), url=url,
                           qr=qr_data_uri(url), body_labels=board_service.body_labels())


def notice_pdf(node, entry, url):
    # Imported when a PDF is made: WeasyPrint takes about a second to import, and most
    # processes (every worker serving pages) never print one.
    from weasyprint import HTML

    # No base URL: the page refers to nothing outside itself (the QR is inline).
    return HTML(string=notice_html(node, entry, url)).write_pdf()
