"""Builders for design documents in tests: a valid design, with parts replaced."""

from __future__ import annotations

COMPONENTS = """### Accounts.Account

| field | value  |
| ----- | ------ |
| type  | schema |
| table | accounts |

Ecto schema for a customer account.

### Accounts.AccountRepository

| field | value      |
| ----- | ---------- |
| type  | repository |

Queries and writes for accounts."""

SECTIONS: dict[str, str] = {
    "Purpose": "Owns customer accounts.",
    "Entity Ownership": "- Account",
    "Access Patterns": "- Scoped to the shop",
    "Public API": "```elixir\n@spec register(map()) :: {:ok, Account.t()}\n```",
    "State Management Strategy": "All state lives in the database.",
    "Execution Flow": "1. Validate\n2. Insert",
    "Dependencies": "- Shop.Repo\n- Shop.Mailer: sends mail",
    "Components": COMPONENTS,
    "Test Strategies": "Integration tests through the public API.",
    "Test Assertions": "- register/1 rejects a duplicate email",
}


def design(title: str | None = "Accounts", **replace: str | None) -> str:
    """A valid design; keyword arguments (title with spaces as underscores) replace a
    section's body, ``None`` drops the section."""
    bodies = dict(SECTIONS)
    for key, body in replace.items():
        name = key.replace("_", " ")
        if body is None:
            bodies.pop(name)
        else:
            bodies[name] = body
    parts = [f"# {title}\n"] if title is not None else []
    parts += [f"## {name}\n{body}\n" for name, body in bodies.items()]
    return "\n".join(parts)


def component(
    name: str = "Accounts.Extra", type_: str = "other", description: str = "Does things."
) -> str:
    return f"### {name}\n\n| field | value |\n| --- | --- |\n| type | {type_} |\n\n{description}"


def line_of(text: str, needle: str, start: int = 0) -> int:
    """0-based index of the first line at or after ``start`` containing ``needle``."""
    for number, line in enumerate(text.splitlines()):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")
