"""The jurisdiction tree: lookup, creation, renaming, CSV import and export."""

import csv
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, or_, select
from sqlalchemy.orm import aliased

from core.kernel import audit, exports, permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import db, read_rows
from core.models import Jurisdiction, Level

CSV_COLUMNS = ["code", "name", "level", "parent_code"]
_ADMIN_CODE = re.compile(r"^\d{12}$")
_SUB_UNIT_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
_CHUNK = 900  # stays under every database's limit on bound parameters


_BY_CODE = select(Jurisdiction).where(Jurisdiction.code == bindparam("code"))


def like_prefix(path):
    """``path`` as the start of a LIKE pattern escaped with ``/``: what ``startswith``'s
    autoescape does to a literal, for statements built once with a unit's path as a
    parameter (``Jurisdiction.path.startswith(bindparam(…), escape="/")``)."""
    return path.replace("/", "//").replace("%", "/%").replace("_", "/_")


def by_code(code):
    node = db.session.scalar(_BY_CODE, {"code": code})
    if node is None:
        raise NotFound(_l("No jurisdiction has the code %(code)s.", code=code))
    return node


def ancestors(node):
    """The nodes above ``node``, root first, in one query."""
    codes = node.ancestor_codes[:-1]
    if not codes:
        return []
    return db.session.scalars(
        select(Jurisdiction).where(Jurisdiction.code.in_(codes)).order_by(Jurisdiction.depth)
    ).all()


def roots():
    return db.session.scalars(
        select(Jurisdiction).where(Jurisdiction.parent_id.is_(None)).order_by(Jurisdiction.code)
    ).all()


_LINEAGE = (select(Jurisdiction.id, Jurisdiction.code, Jurisdiction.name, Jurisdiction.level,
                   Jurisdiction.parent_id, Jurisdiction.depth)
            .where(or_(Jurisdiction.code.in_(bindparam("above", expanding=True)),
                       Jurisdiction.parent_id == bindparam("node_id")))
            .order_by(Jurisdiction.depth, Jurisdiction.code).limit(bindparam("limit")))


def lineage(node, *, children=200):
    """The nodes above ``node`` (root first) and up to ``children`` of its children (by
    code), in one query: a page's breadcrumbs and its choice of sub-unit, as rows of
    their id, code, name, level, parent and depth."""
    above = node.ancestor_codes[:-1]
    found = read_rows(_LINEAGE, {"above": above, "node_id": node.id,
                                 "limit": len(above) + children})
    return ([unit for unit in found if unit.depth < node.depth],
            [unit for unit in found if unit.depth > node.depth])


_CHILD = aliased(Jurisdiction, name="child")  # made once: an alias costs a millisecond to build


def town_of(node):
    """The town (乡镇/街道) above ``node``, or None."""
    codes = node.ancestor_codes
    return db.session.scalar(select(Jurisdiction).where(
        Jurisdiction.code.in_(codes), Jurisdiction.level == Level.TOWN))


def villages_where(user, action, limit=500):
    """Villages and communities where ``user`` may perform ``action``, by code (for a form's
    choices; at most ``limit``)."""
    query = select(Jurisdiction).where(Jurisdiction.level == Level.VILLAGE)
    if permissions.scope_paths(user, action) is not None:
        query = query.where(permissions.scope_clause(user, action))
    return db.session.scalars(query.order_by(Jurisdiction.path).limit(limit)).all()


def children_page(node, *, page_number=1, per_page=50, search=""):
    """A page of ``node``'s children (roots when ``node`` is None), each with its child count."""
    child = _CHILD
    condition = (
        Jurisdiction.parent_id.is_(None) if node is None else Jurisdiction.parent_id == node.id
    )
    # Count the grandchildren of this node only, not of the whole tree.
    counts = (
        select(child.parent_id, func.count().label("n"))
        .where(child.parent_id.in_(select(Jurisdiction.id).where(condition)))
        .group_by(child.parent_id)
        .subquery()
    )
    query = select(Jurisdiction, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.parent_id == Jurisdiction.id
    ).where(condition)
    if search:
        query = query.where(Jurisdiction.name.contains(search, autoescape=True))
    total = db.session.scalar(
        select(func.count()).select_from(Jurisdiction).where(condition)
        .where(Jurisdiction.name.contains(search, autoescape=True) if search else True)
    )
    rows = db.session.execute(
        query.order_by(Jurisdiction.code).limit(per_page).offset((page_number - 1) * per_page)
    ).all()
    return rows, total


def validate(code, name, level, parent):
    """Return the reasons a node with these fields cannot stand under ``parent``."""
    errors = []
    if level not in Level.ALL:
        errors.append(
            _l("Unknown level %(level)s; use one of: %(levels)s.", level=level or "-",
               levels=", ".join(Level.ALL))
        )
        return errors
    if not name or len(name) > 100:
        errors.append(_l("The name must be 1 to 100 characters."))
    if level in Level.ADMINISTRATIVE:
        if not _ADMIN_CODE.match(code or ""):
            errors.append(
                _l("An administrative code must be 12 digits (statistical division code).")
            )
        elif level != Level.VILLAGE and set(code[Level.CODE_PREFIX[level]:]) - {"0"}:
            errors.append(
                _l("The code of a %(level)s ends in zeros after digit %(n)s.",
                   level=Level.label(level), n=Level.CODE_PREFIX[level])
            )
    elif not _SUB_UNIT_CODE.match(code or ""):
        errors.append(
            _l("A sub-unit code is 1 to 32 letters, digits, dots, dashes or underscores.")
        )
    if parent is None:
        if level not in Level.ROOTS:
            errors.append(_l("A %(level)s needs a parent.", level=Level.label(level)))
    else:
        parent_level = parent.level if isinstance(parent, Jurisdiction) else parent["level"]
        parent_code = parent.code if isinstance(parent, Jurisdiction) else parent["code"]
        if parent_level not in Level.PARENTS[level]:
            errors.append(
                _l("A %(level)s cannot stand under a %(parent)s.",
                   level=Level.label(level), parent=Level.label(parent_level))
            )
        elif level in Level.ADMINISTRATIVE and _ADMIN_CODE.match(code or ""):
            digits = Level.CODE_PREFIX[parent_level]
            if code[:digits] != parent_code[:digits]:
                errors.append(
                    _l("The code must begin with its parent's first %(n)s digits (%(prefix)s).",
                       n=digits, prefix=parent_code[:digits])
                )
    return errors


def create(actor, *, code, name, level, parent):
    """Create a node under ``parent`` (a root when None: platform administrators only)."""
    code, name = (code or "").strip(), (name or "").strip()
    if parent is None and not permissions.is_platform_admin(actor):
        raise PermissionDenied(_l("Only a platform administrator may add a top-level node."))
    if parent is not None:
        permissions.require(actor, "jurisdiction.manage", parent)
    errors = validate(code, name, level, parent)
    if db.session.scalar(select(Jurisdiction.id).where(Jurisdiction.code == code)):
        errors.append(_l("The code %(code)s is already in use.", code=code))
    if errors:
        raise DomainError(" ".join(str(error) for error in errors))
    node = Jurisdiction(
        code=code,
        name=name,
        level=level,
        parent_id=parent.id if parent else None,
        path=(parent.path if parent else "/") + code + "/",
        depth=parent.depth + 1 if parent else 0,
    )
    db.session.add(node)
    audit.record(actor, "jurisdiction.create", node, jurisdiction=node,
                 after={"code": code, "name": name, "level": level})
    db.session.commit()
    return node


def rename(actor, node, name):
    permissions.require(actor, "jurisdiction.manage", node)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(_l("The name must be 1 to 100 characters."))
    before = node.name
    node.name = name
    audit.record(actor, "jurisdiction.rename", node, jurisdiction=node,
                 before={"name": before}, after={"name": name})
    db.session.commit()
    return node


# ------------------------------------------------------------------ CSV


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    #: (line number, reason) for every bad row; nothing is written if any.
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _existing(codes):
    """code → {id, code, name, level, path, depth, parent_code} for the codes already stored."""
    parent = aliased(Jurisdiction)
    found = {}
    codes = list(codes)
    for start in range(0, len(codes), _CHUNK):
        rows = db.session.execute(
            select(
                Jurisdiction.id, Jurisdiction.code, Jurisdiction.name, Jurisdiction.level,
                Jurisdiction.path, Jurisdiction.depth, parent.code.label("parent_code"),
            )
            .outerjoin(parent, Jurisdiction.parent_id == parent.id)
            .where(Jurisdiction.code.in_(codes[start:start + _CHUNK]))
        ).mappings()
        found.update({row["code"]: dict(row) for row in rows})
    return found


def _read_rows(stream):
    """Yield (line number, row dict) from CSV text; raise DomainError on a bad header."""
    reader = csv.reader(stream)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise DomainError(_l("The file is empty.")) from None
    except csv.Error as error:
        raise DomainError(_l("The file is not valid CSV: %(error)s", error=str(error))) from None
    if header[:4] != CSV_COLUMNS:
        raise DomainError(
            _l("The first line must be the header: %(columns)s.", columns=",".join(CSV_COLUMNS))
        )
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            yield reader.line_num, row
    except csv.Error as error:
        raise DomainError(
            _l("Line %(line)s is not valid CSV: %(error)s", line=reader.line_num, error=str(error))
        ) from None


def import_csv(stream, actor=permissions.SYSTEM):
    """Import nodes from CSV text (code,name,level,parent_code): all of them or none.

    Every row is checked before anything is written; rows identical to nodes
    already stored are counted as unchanged. Parents may come earlier or
    later in the file, or already be stored.
    """
    result = ImportResult()
    rows = {}
    first_line = {}
    for line, cells in _read_rows(stream):
        if len(cells) < 4:
            result.errors.append((line, _l("Expected 4 columns, found %(n)s.", n=len(cells))))
            continue
        code, name, level, parent_code = (cell.strip() for cell in cells[:4])
        name = exports.uncell(name)
        if code in first_line:
            result.errors.append(
                (line, _l("The code %(code)s already appears on line %(first)s.",
                          code=code, first=first_line[code]))
            )
            continue
        first_line[code] = line
        rows[code] = {"line": line, "code": code, "name": name, "level": level,
                      "parent_code": parent_code or None}

    stored = _existing(set(rows) | {r["parent_code"] for r in rows.values() if r["parent_code"]})
    paths = {}

    def resolve(code, trail=()):
        """Path and depth of a row's node, following parents in the file or the database."""
        if code in paths:
            return paths[code]
        if code in stored:
            paths[code] = (stored[code]["path"], stored[code]["depth"])
            return paths[code]
        row = rows[code]
        if code in trail:
            raise ValueError("cycle")
        parent_code = row["parent_code"]
        if parent_code is None:
            paths[code] = ("/" + code + "/", 0)
        else:
            parent_path, parent_depth = resolve(parent_code, (*trail, code))
            paths[code] = (parent_path + code + "/", parent_depth + 1)
        return paths[code]

    new_rows = []
    for code, row in rows.items():
        line, parent_code = row["line"], row["parent_code"]
        if code in stored:
            old = stored[code]
            if (old["name"], old["level"], old["parent_code"]) == (
                row["name"], row["level"], parent_code
            ):
                result.unchanged += 1
            else:
                result.errors.append(
                    (line, _l("The code %(code)s is already stored with another name, level or "
                              "parent.", code=code))
                )
            continue
        parent = None
        if parent_code is not None:
            parent = rows.get(parent_code) or stored.get(parent_code)
            if parent is None:
                result.errors.append(
                    (line, _l("The parent code %(code)s is neither in the file nor stored.",
                              code=parent_code))
                )
                continue
        problems = validate(code, row["name"], row["level"], parent)
        if problems:
            result.errors.extend((line, problem) for problem in problems)
            continue
        try:
            row["path"], row["depth"] = resolve(code)
        except (ValueError, KeyError):
            result.errors.append((line, _l("The parent chain of %(code)s loops or breaks.",
                                           code=code)))
            continue
        new_rows.append(row)

    if result.errors:
        result.errors.sort(key=lambda error: error[0])
        return result

    ids = {code: info["id"] for code, info in stored.items()}
    for depth in sorted({row["depth"] for row in new_rows}):
        batch = [
            {"code": row["code"], "name": row["name"], "level": row["level"],
             "path": row["path"], "depth": depth,
             "parent_id": ids[row["parent_code"]] if row["parent_code"] else None}
            for row in new_rows if row["depth"] == depth
        ]
        inserted = db.session.execute(
            insert(Jurisdiction).returning(Jurisdiction.id, Jurisdiction.code), batch
        )
        ids.update({code: node_id for node_id, code in inserted})
    result.created = len(new_rows)
    audit.record(actor, "jurisdiction.import", None, object_type="jurisdiction",
                 object_id="csv", after={"created": result.created,
                                          "unchanged": result.unchanged})
    db.session.commit()
    return result


def export_csv(stream, root=None):
    """Write the tree (or ``root``'s subtree) as CSV, parents before children."""
    parent = aliased(Jurisdiction)
    query = (
        select(Jurisdiction.code, Jurisdiction.name, Jurisdiction.level, parent.code)
        .outerjoin(parent, Jurisdiction.parent_id == parent.id)
        .order_by(Jurisdiction.depth, Jurisdiction.path)
    )
    if root is not None:
        query = query.where(Jurisdiction.path.startswith(root.path, autoescape=True))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for code, name, level, parent_code in db.session.execute(query.execution_options(
            yield_per=2000)):
        writer.writerow(exports.row([code, name, level, parent_code or ""]))
        count += 1
    return count
