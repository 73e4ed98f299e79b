"""The disclosure chain: appending entries to a board and verifying a board.

Each board (one per jurisdiction) is a hash chain: an entry's hash covers the
canonical JSON of its content and the previous entry's hash, starting from
``GENESIS``. Appends lock the board's head row, so two publishers at once
take turns instead of forking the chain: ``SELECT … FOR UPDATE`` on
PostgreSQL; on SQLite a write to the head row takes the database's write
lock before the head is read.
"""

import hashlib
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.kernel import notifications
from core.kernel.extensions import db
from core.models import BoardEntry, BoardHead, utcnow

GENESIS = "0" * 64


def canonical(content):
    """The bytes a hash covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def chain_hash(prev_hash, content):
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(content)).hexdigest()


def _lock_head(jurisdiction_id):
    """The board's head row, locked for this transaction (created on first use)."""
    dialect = db.session.get_bind().dialect.name
    values = {"jurisdiction_id": jurisdiction_id, "last_seq": 0, "last_hash": GENESIS,
              "updated_at": utcnow()}
    if dialect == "postgresql":
        insert = postgresql.insert(BoardHead).values(**values).on_conflict_do_nothing()
    else:
        insert = sqlite.insert(BoardHead).values(**values).on_conflict_do_nothing()
    if dialect != "postgresql":
        # Take SQLite's write lock first, so no other writer reads the same head.
        db.session.execute(update(BoardHead).where(BoardHead.jurisdiction_id == jurisdiction_id)
                           .values(updated_at=utcnow()))
    db.session.execute(insert)
    query = select(BoardHead).where(BoardHead.jurisdiction_id == jurisdiction_id)
    if dialect == "postgresql":
        query = query.with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one()


def append(jurisdiction, *, kind, title, payload, author=None, topic=None, item_code=None,
           corrects=None):
    """Add an entry to ``jurisdiction``'s board and commit; return the entry."""
    head = _lock_head(jurisdiction.id)
    now = utcnow()
    seq = head.last_seq + 1
    content = {
        "board": jurisdiction.code,
        "board_name": jurisdiction.name,
        "seq": seq,
        "kind": kind,
        "title": title,
        "published_at": now.isoformat(),
        "topic": topic.id if topic is not None else None,
        "item": item_code,
        "corrects": corrects.seq if corrects is not None else None,
        "author": getattr(author, "display_name", None),
        "payload": payload,
    }
    entry_hash = chain_hash(head.last_hash, content)
    entry = BoardEntry(
        jurisdiction_id=jurisdiction.id, seq=seq, kind=kind, title=title[:300],
        topic_id=topic.id if topic is not None else None, item_code=item_code,
        corrects_id=corrects.id if corrects is not None else None,
        author_id=getattr(author, "id", None), published_at=now, content=content,
        prev_hash=head.last_hash, entry_hash=entry_hash,
    )
    db.session.add(entry)
    head.last_seq, head.last_hash, head.updated_at = seq, entry_hash, now
    db.session.flush()
    # Subscribers' messages are queued in the same transaction as the entry.

    notifications.entry_published(entry)
    db.session.commit()
    notifications.deliver_inline()
    return entry


@dataclass
class Verification:
    ok: bool
    checked: int
    #: The sequence number of the first entry that fails, if any.
    bad_seq: int | None = None
    reason: object = ""


def verify(jurisdiction):
    """Recompute the whole chain of ``jurisdiction``'s board; name the first bad entry."""
    expected_prev, checked = GENESIS, 0
    rows = db.session.execute(
        select(BoardEntry.seq, BoardEntry.kind, BoardEntry.title, BoardEntry.topic_id,
               BoardEntry.content, BoardEntry.prev_hash, BoardEntry.entry_hash)
        .where(BoardEntry.jurisdiction_id == jurisdiction.id).order_by(BoardEntry.seq)
        .execution_options(yield_per=2000)
    )
    for seq, kind, title, topic_id, content, prev_hash, entry_hash in rows:
        checked += 1
        problem = None
        if seq != checked:
            problem = _l("the entry is missing")
            seq = checked
        elif prev_hash != expected_prev:
            problem = _l("its previous hash does not match the entry before it")
        elif chain_hash(prev_hash, content) != entry_hash:
            problem = _l("its content does not match its hash")
        elif (content.get("seq"), content.get("kind"), (content.get("title") or "")[:300],
              content.get("topic"), content.get("board")) != (
                seq, kind, title, topic_id, jurisdiction.code):
            problem = _l("its columns disagree with its hashed content")
        if problem:
            rows.close()
            return Verification(False, checked, seq, problem)
        expected_prev = entry_hash
    head = db.session.get(BoardHead, jurisdiction.id)
    if head is not None and (head.last_seq, head.last_hash) != (checked, expected_prev):
        return Verification(False, checked, checked + 1,
                            _l("the entry is missing (the board's head records more entries)"))
    return Verification(True, checked)
