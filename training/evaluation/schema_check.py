"""Validation of a results file against `schema.json` (generated from src/core/eval/schema.ts).

A small JSON Schema (draft 2020-12) validator for exactly the keywords that schema uses; an unknown keyword is an
error, never silently ignored. The cross-field rules of the zod schema are checked in code after it.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("schema.json")

_ANNOTATIONS = {"$schema", "description", "title", "default"}
_KNOWN = _ANNOTATIONS | {
    "type", "properties", "required", "additionalProperties", "const", "enum", "minLength", "maxLength", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "items", "minItems", "maxItems", "anyOf", "oneOf",
    "allOf",
}


class SchemaError(ValueError):
    """The instance does not satisfy the schema; the message names the JSON path."""


def _type_ok(value: Any, t: str) -> bool:
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "null":
        return value is None
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if t == "integer":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
    raise SchemaError(f"schema uses unknown type {t!r}")


def _check(value: Any, schema: dict, path: str) -> None:
    unknown = set(schema) - _KNOWN
    if unknown:
        raise SchemaError(f"{path}: schema keyword(s) {sorted(unknown)} not supported by this validator")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_ok(value, t) for t in types):
            raise SchemaError(f"{path}: expected {'/'.join(types)}, got {type(value).__name__} {value!r:.60}")
    if "const" in schema and value != schema["const"]:
        raise SchemaError(f"{path}: expected {schema['const']!r}, got {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise SchemaError(f"{path}: string shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise SchemaError(f"{path}: string longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise SchemaError(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise SchemaError(f"{path}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise SchemaError(f"{path}: {value} > maximum {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            raise SchemaError(f"{path}: {value} <= exclusive minimum {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            raise SchemaError(f"{path}: {value} >= exclusive maximum {schema['exclusiveMaximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise SchemaError(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise SchemaError(f"{path}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, v in enumerate(value):
                _check(v, schema["items"], f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in value:
                raise SchemaError(f"{path}: missing {k!r}")
        for k, v in value.items():
            if k in props:
                _check(v, props[k], f"{path}.{k}")
            elif schema.get("additionalProperties", True) is False:
                raise SchemaError(f"{path}: unexpected key {k!r}")
    for sub in schema.get("allOf", []):
        _check(value, sub, path)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            errors, passed = [], 0
            for sub in schema[key]:
                try:
                    _check(value, sub, path)
                    passed += 1
                except SchemaError as e:
                    errors.append(str(e))
            if passed == 0 or (key == "oneOf" and passed > 1):
                raise SchemaError(f"{path}: matches {passed} of the {key} alternatives ({'; '.join(errors)[:400]})")


def validate_results(results: Any, schema: dict | None = None) -> None:
    """Raises SchemaError unless `results` is a valid results object (schema and the cross-field rules)."""
    if schema is None:
        schema = json.loads(SCHEMA_PATH.read_text())
    _check(results, schema, "$")
    ids: set[str] = set()
    n_faces = len(results["protocol"]["faces"])
    models = {m["id"] for m in results["protocol"]["models"]}
    for m in results["methods"]:
        if m["id"] in ids:
            raise SchemaError(f"Duplicate method id {m['id']}.")
        ids.add(m["id"])
        if len(m["perFace"]) != n_faces:
            raise SchemaError(f"Method {m['id']} scores {len(m['perFace'])} faces, not {n_faces}.")
        if m["modelId"] is not None and m["modelId"] not in models:
            raise SchemaError(f"Method {m['id']} uses unknown model {m['modelId']}.")
