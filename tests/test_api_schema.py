"""Schemathesis against the generated OpenAPI document: for every operation, generated
requests — fitting the document and not, on real objects and on made-up ones — never get
a 500, and every response matches the document (status codes, content types, bodies)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.people import tokens
from tests import lifecycle_helpers as h

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _run(operation, mode, headers, path_parameters=None):
    names = {parameter.name for parameter in operation.path_parameters}
    fixed = {key: value for key, value in (path_parameters or {}).items() if key in names}

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed or None))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.validate_response(case.call(headers=headers), checks=CHECKS)

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("real", [True, False], ids=["real-objects", "made-up-objects"])
def test_no_operation_fails_or_breaks_its_schema(app, demo, mode, real):
    topic, meeting, entry = h.published()  # a board with entries, a topic with an outcome
    token = tokens.create(h.user("luoma-organiser"), "schemathesis")[1]
    headers = {"Authorization": f"Bearer {token}"}
    known = {"code": "441900121201", "seq": entry.seq, "topic_id": topic.id,
             "meeting_id": meeting.id} if real else None
    checked, nothing_to_negate = [], []
    every = operations(app)
    for operation in every:
        try:
            _run(operation, mode, headers, known)
        except Unsatisfiable:
            # Nothing in the operation can be made invalid (no parameters, no body).
            assert mode == GenerationMode.NEGATIVE, operation.label
            nothing_to_negate.append(operation.label)
        else:
            checked.append(operation.label)
    assert len(every) >= 13
    assert sorted(checked + nothing_to_negate) == sorted(op.label for op in every)
    assert {"GET /api/v1/topics", "POST /api/v1/topics", "POST /api/v1/topics/{topic_id}/meetings",
            "GET /api/v1/boards/{code}/entries"} <= set(checked)
