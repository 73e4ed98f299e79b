"""The OpenAPI document, generated from the views' docstrings and the marshmallow schemas
(apispec)."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import current_app, jsonify

from core.api import __doc__ as api_doc
from core.api import bp, schemas


def build_spec():
    spec = APISpec(
        title="xieshang API", version="1", openapi_version="3.0.3",
        info={"description": api_doc.split("\n\n")[1].replace("\n", " ")},
        servers=[{"url": "/"}],
        plugins=[FlaskPlugin(), MarshmallowPlugin()])
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    for name in ("ErrorSchema",):
        spec.components.schema(name.removesuffix("Schema"), schema=getattr(schemas, name))
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            spec.path(view=current_app.view_functions[rule.endpoint],
                      parameters=_path_parameters(rule.rule))
    return spec.to_dict()


def _path_parameters(rule):
    """The parameters of a route's path, as its URL rule declares them (``<int:seq>``)."""
    return [{"in": "path", "name": name, "required": True,
             "schema": {"type": "integer", "minimum": 1} if converter == "int"
             else {"type": "string"}}
            for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule)]


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI document, generated from this module."""
    cache = current_app.extensions.setdefault("xieshang.openapi", {})
    if "spec" not in cache:
        cache["spec"] = build_spec()
    return jsonify(cache["spec"])
