"""Files kept with topics: size and type limits, content checks, storage by digest."""

import hashlib
import os

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from core.kernel.errors import DomainError, NotFound
from core.kernel.extensions import db, read_rows
from core.models import Attachment

#: Accepted kinds, by extension: the content type served and how the file must begin.
KINDS = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "txt": ("text/plain; charset=utf-8", ()),
}


def _folder():
    return os.path.join(current_app.instance_path, "uploads")


def path_of(attachment):
    return os.path.join(_folder(), attachment.sha256[:2], attachment.sha256)


def clean_name(filename):
    """The file's own name without any folder part, control characters or excess length."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[-120:] or "file"


def check(filename, data):
    """Return (clean name, content type) or raise a DomainError saying what is wrong."""
    name = clean_name(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise DomainError(_l("Files of this type are not accepted; use one of: %(kinds)s.",
                             kinds=", ".join(sorted(KINDS))))
    limit = current_app.config["XS_ATTACHMENT_MAX_BYTES"]
    if len(data) > limit:
        raise DomainError(_l("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    if not data:
        raise DomainError(_l("The file is empty."))
    content_type, signatures = KINDS[extension]
    if signatures and not any(data.startswith(signature) for signature in signatures):
        raise DomainError(_l("The file's content does not match its .%(ext)s name.",
                             ext=extension))
    if extension == "txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(_l("A text file must be UTF-8.")) from None
    return name, content_type


def store(actor, topic, filename, data, purpose="material"):
    """Check and keep a file for ``topic``; the caller commits."""
    name, content_type = check(filename, data)
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(topic_id=topic.id, purpose=purpose, filename=name,
                            content_type=content_type, size=len(data), sha256=digest,
                            uploaded_by_id=getattr(actor, "id", None))
    target = os.path.join(_folder(), digest[:2], digest)
    if not os.path.exists(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = f"{target}.{os.getpid()}.part"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    db.session.add(attachment)
    return attachment


# The topic page's list of its files: the columns it shows, read as rows.
_FILES = (select(Attachment.id, Attachment.filename, Attachment.size)
          .where(Attachment.topic_id == bindparam("topic_id")).order_by(Attachment.id))


def rows(topic):
    """The topic's files as (id, filename, size) rows."""
    return read_rows(_FILES, {"topic_id": topic.id})


def of_topic(topic, attachment_id):
    """The topic's file ``attachment_id``, or NotFound."""
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.topic_id != topic.id:
        raise NotFound(_l("No such file on this topic."))
    return found
