"""What drf-spectacular cannot see in the views: the errors every operation may answer."""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# django-filter's answer to a bad parameter: {name: [messages]}.
INVALID = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def error_responses(result, generator, request, public):
    """A POSTPROCESSING_HOOK: 404, 429 and (where there are parameters) 400 on every
    operation, so clients and schemathesis know them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"], schemas["InvalidParameters"] = ERROR, INVALID
    error, invalid = (reference(name) for name in ("Error", "InvalidParameters"))
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                describe_parameter(parameter)
            responses = operation["responses"]
            responses["400"] = answer("A parameter is not valid.", invalid)
            # Refused by the site before the API sees it (core.middleware.reject_nul_bytes).
            responses["400"]["content"]["text/html"] = {"schema": {"type": "string"}}
            missing = "No such public record, or a cursor that is not valid."
            responses["404"] = answer(missing, error)
            responses["429"] = answer(
                "Too many requests from this client: try again after Retry-After seconds.",
                error,
                headers={"Retry-After": {"schema": {"type": "integer"}}},
            )
    return result


def reference(name):
    return {"$ref": f"#/components/schemas/{name}"}


def answer(description, schema, **extra):
    content = {"application/json": {"schema": schema}}
    return {"description": description, "content": content, **extra}


def describe_parameter(parameter):
    schema = parameter.setdefault("schema", {})
    if schema.get("type") == "string" and "enum" not in schema:
        # The site refuses a NUL byte in any address (core.middleware.reject_nul_bytes).
        schema.setdefault("pattern", "^[^\\x00]*$")
    if parameter["in"] == "query":
        parameter["allowEmptyValue"] = True  # an empty filter is no filter (django-filter)
