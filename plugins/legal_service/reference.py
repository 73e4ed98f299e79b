"""A small reference legal-adviser service, for trials and for the tests.

It takes review requests (signature, timestamp and ``Idempotency-Key`` checked: a
request it already has is acknowledged again, never stored twice) and, when told to,
answers one by posting a signed opinion to the request's ``callback_url``.

    python -m plugins.legal_service.reference --port 8765 --secret SECRET [--auto no_issue]

Routes: ``POST /reviews`` (from the platform), ``GET /reviews`` (what it holds),
``POST /reviews/<key>/answer`` with JSON ``{"opinion", "reasoning", "provisions",
"adviser"}`` (answers and returns the delivery it sent and the platform's status).
"""

import argparse
import json
import threading
import urllib.error
import urllib.request
import uuid

from flask import Flask, jsonify, request

from core.toolkit import (
    http_url,
)
from plugins.legal_service import signing


def post_signed(url, secret, payload):
    """POST ``payload`` signed with ``secret``; (status, answer) from the other side."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    outgoing = urllib.request.Request(http_url(url), method="POST", data=data, headers={
        "Content-Type": "application/json; charset=utf-8", **signing.sign(secret, data)})
    try:
        # Reviewed (B310): http_url() let only an http(s) URL through
        with urllib.request.urlopen(outgoing, timeout=10) as response:  # nosec B310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def create_app(secret, auto=None):
    app = Flask("legal_service_reference")
    lock = threading.Lock()
    held = {}  # idempotency key → request body (dict), in arrival order

    def answer(key, opinion, reasoning, provisions, adviser):
        with lock:
            wanted = held.get(key)
        if wanted is None:
            return None
        delivery = {"delivery_id": uuid.uuid4().hex, "review_id": wanted["review_id"],
                    "version": wanted["version"], "opinion": opinion,
                    "reasoning": reasoning, "provisions": provisions, "adviser": adviser}
        status, reply = post_signed(wanted["callback_url"], secret, delivery)
        return {"delivery": delivery, "status": status, "reply": reply}

    @app.post("/reviews")
    def receive():
        body = request.get_data(cache=False)
        try:
            signing.verify(secret, request.headers, body)
        except signing.SignatureError as error:
            return jsonify({"error": str(error)}), 401
        key = request.headers.get(signing.IDEMPOTENCY, "")
        try:
            wanted = json.loads(body)
        except ValueError:
            return jsonify({"error": "the body is not JSON"}), 400
        if not key or key != wanted.get("idempotency_key"):
            return jsonify({"error": "Idempotency-Key missing or not the body's"}), 400
        with lock:
            if key in held:
                return jsonify({"status": "already received", "key": key}), 200
            held[key] = wanted
        if auto:
            provisions = "" if auto == "no_issue" else "《中华人民共和国村民委员会组织法》"
            threading.Timer(0.5, answer, (key, auto, "已按送审稿审查。", provisions,
                                          "参考法律服务所")).start()
        return jsonify({"status": "received", "key": key}), 202

    @app.get("/reviews")
    def listing():
        with lock:
            return jsonify([{"key": key, "review_id": body["review_id"],
                             "version": body["version"], "title": body["title"]}
                            for key, body in held.items()])

    @app.post("/reviews/<path:key>/answer")
    def answer_one(key):
        given = request.get_json(silent=True) or {}
        result = answer(key, given.get("opinion", "no_issue"), given.get("reasoning", ""),
                        given.get("provisions", ""), given.get("adviser", "参考法律服务所"))
        if result is None:
            return jsonify({"error": "no such request"}), 404
        return jsonify(result), 200

    return app


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--auto", choices=("no_issue", "revise", "unlawful"),
                        help="answer every request with this opinion")
    options = parser.parse_args(argv)
    create_app(options.secret, options.auto).run(host=options.host, port=options.port)


if __name__ == "__main__":
    main()
