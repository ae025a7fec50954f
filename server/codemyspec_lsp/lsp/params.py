"""Request params: from whatever JSON the client sent to a validated pydantic model.

A bad request is answered -32602 with the offending field named (pydantic's location,
in the wire's camelCase), before anything reaches the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from codemyspec_lsp.session.errors import InvalidParams

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound="BaseModel")
MAX_ERRORS_SHOWN = 5


def to_plain(value: Any) -> Any:
    """Namedtuples (pygls' objects for JSON it has no type for) back to dicts, recursively."""
    if hasattr(value, "_asdict"):
        return {key: to_plain(item) for key, item in value._asdict().items()}
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    return value


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def parse_params(model: type[M], raw: Any) -> M:
    """Validate one params object; absent params count as `{}`."""
    # pydantic is imported with the first command, not at start-up.
    from pydantic import ValidationError

    params = {} if raw is None else to_plain(raw)
    if not isinstance(params, dict):
        raise InvalidParams(f"params: expected a JSON object, got {json_type(params)}")
    try:
        return model.model_validate(params)
    except ValidationError as error:
        raise InvalidParams(describe(error)) from None


def describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:MAX_ERRORS_SHOWN]:
        field = ".".join(str(part) for part in item["loc"]) or "params"
        problems.append(f"{field}: {item['msg']}")
    more = error.error_count() - MAX_ERRORS_SHOWN
    if more > 0:
        problems.append(f"and {more} more")
    return "invalid params: " + "; ".join(problems)
