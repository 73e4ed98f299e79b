"""HMAC-SHA256 signatures of request bodies, both ways between the platform and an
outside legal-adviser service.

The signed string is ``"{timestamp}.{body}"``; headers ``X-Xieshang-Timestamp``
(Unix seconds) and ``X-Xieshang-Signature: sha256=<hex>``. A receiver refuses a
bad signature, and a timestamp more than ``TOLERANCE`` seconds away from its clock,
so a captured request cannot be replayed later; within that window, the delivery
or idempotency key refuses (or answers again) a repeat.
"""

import hashlib
import hmac
import time

TIMESTAMP = "X-Xieshang-Timestamp"
SIGNATURE = "X-Xieshang-Signature"
IDEMPOTENCY = "Idempotency-Key"
TOLERANCE = 300


class SignatureError(ValueError):
    pass


def sign(secret, body, timestamp=None):
    """Headers that sign ``body`` (bytes) with ``secret``."""
    timestamp = str(int(time.time() if timestamp is None else timestamp))
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                      hashlib.sha256).hexdigest()
    return {TIMESTAMP: timestamp, SIGNATURE: f"sha256={digest}"}


def verify(secret, headers, body, now=None):
    """Raise :class:`SignatureError` unless ``headers`` sign ``body`` recently."""
    if not secret:
        raise SignatureError("no secret is configured")
    timestamp = headers.get(TIMESTAMP, "")
    if not timestamp.isdigit():
        raise SignatureError("missing or malformed timestamp")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > TOLERANCE:
        raise SignatureError("timestamp outside the accepted window")
    expected = sign(secret, body, int(timestamp))[SIGNATURE]
    if not hmac.compare_digest(expected, headers.get(SIGNATURE, "")):
        raise SignatureError("bad signature")
