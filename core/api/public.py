"""Public reads: jurisdictions, boards, their entries with hashes, verification."""

from flask import current_app, jsonify, url_for
from flask_babel import lazy_gettext as _l

from core.api import bp, schemas
from core.api.common import (
    ApiError,
    documents_errors,
    dump,
    entry_out,
    jurisdiction_or_404,
    jurisdiction_out,
    query,
)
from core.board import chain as disclosure
from core.board import entries as board
from core.kernel.errors import NotFound
from core.models.types import is_row_id
from core.places import tree


@bp.route("/jurisdictions")
@documents_errors(400, 404)
def jurisdictions_list():
    """List the roots of the tree, or the children of ``parent``.
    ---
    get:
      tags: [public]
      parameters:
      - in: query
        schema: JurisdictionQuery
      responses:
        200:
          content:
            application/json:
              schema: JurisdictionPageSchema
    """
    args = query(schemas.JurisdictionQuery)
    parent = jurisdiction_or_404(args["parent"]) if args.get("parent") else None
    per_page = current_app.config["XS_PAGE_SIZE"]
    rows, total = tree.children_page(parent, page_number=args["page"], per_page=per_page)
    return dump(schemas.JurisdictionPageSchema, {
        "items": [jurisdiction_out(node, children) for node, children in rows],
        "total": total, "page": args["page"], "per_page": per_page})


@bp.route("/jurisdictions/<code>")
@documents_errors(404)
def jurisdiction(code):
    """One jurisdiction.
    ---
    get:
      tags: [public]
      responses:
        200:
          content:
            application/json:
              schema: JurisdictionSchema
    """
    return dump(schemas.JurisdictionSchema, jurisdiction_out(jurisdiction_or_404(code)))


@bp.route("/boards/<code>/entries")
@documents_errors(400, 404)
def entries(code):
    """A board's published entries, newest first, with their hashes (keyset pages).
    ---
    get:
      tags: [public]
      parameters:
      - in: query
        schema: EntryQuery
      responses:
        200:
          content:
            application/json:
              schema: EntryPageSchema
    """
    node = jurisdiction_or_404(code)
    args = query(schemas.EntryQuery)
    rows = board.newest(node, limit=args["limit"] + 1, before=args.get("before"),
                        kind=args.get("kind"))
    more = len(rows) > args["limit"]
    rows = rows[:args["limit"]]
    base = url_for("board.index", code=node.code, _external=True)
    # Plain dicts in the document's shape (EntryPageSchema): the hot list skips marshmallow.
    return jsonify({
        "items": [{"seq": seq, "kind": kind, "title": title,
                   "published_at": published_at.isoformat(), "topic_id": topic_id,
                   "item_code": item_code, "prev_hash": prev_hash, "entry_hash": entry_hash,
                   "url": f"{base}/{seq}"}
                  for seq, kind, title, published_at, topic_id, item_code, prev_hash,
                  entry_hash in rows],
        "next_before": rows[-1].seq if more else None})


@bp.route("/boards/<code>/entries/<int:seq>")
@documents_errors(404)
def entry(code, seq):
    """One entry with the canonical content its hash covers.
    ---
    get:
      tags: [public]
      responses:
        200:
          content:
            application/json:
              schema: EntryDetailSchema
    """
    node = jurisdiction_or_404(code)
    try:
        found = board.entry(node, seq) if is_row_id(seq) else None
    except NotFound:
        found = None
    if found is None:
        raise ApiError(404, _l("No such entry on this board."))
    corrected_by = board.correction_seqs(found)
    return dump(schemas.EntryDetailSchema, dict(entry_out(found, node.code),
                                                content=found.content,
                                                corrected_by=corrected_by))


@bp.route("/boards/<code>/verify")
@documents_errors(404)
def verify(code):
    """Recompute the board's hash chain.
    ---
    get:
      tags: [public]
      responses:
        200:
          content:
            application/json:
              schema: VerificationSchema
    """
    result = disclosure.verify(jurisdiction_or_404(code))
    return dump(schemas.VerificationSchema, {"ok": result.ok, "checked": result.checked,
                                             "bad_seq": result.bad_seq,
                                             "reason": str(result.reason)
                                             if result.reason else ""})


