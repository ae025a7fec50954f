"""Which dependencies are the project's own, and which of those exist without a design.

architecture.md, "Known modules": a dependency is internal when it is ``<module>.…``,
``<module>Web`` or ``<module>Web.…``; ``design.known_modules`` lists internal modules
that exist without a design (a name ending in ``.*`` matches its children).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def default_known_modules(project_module: str) -> tuple[str, ...]:
    return (
        f"{project_module}.Repo",
        f"{project_module}.Mailer",
        f"{project_module}.PubSub",
        f"{project_module}Web.*",
    )


@dataclass(frozen=True)
class KnownModules:
    project_module: str
    known: tuple[str, ...]

    @classmethod
    def of(cls, project_module: str, known: Iterable[str] | None = None) -> KnownModules:
        listed = default_known_modules(project_module) if known is None else tuple(known)
        return cls(project_module, listed)

    def is_internal(self, module: str) -> bool:
        web = f"{self.project_module}Web"
        return (
            module.startswith(f"{self.project_module}.")
            or module == web
            or module.startswith(f"{web}.")
        )

    def is_known(self, module: str) -> bool:
        for name in self.known:
            if name.endswith(".*"):
                if module.startswith(name[:-1]):
                    return True
            elif module == name:
                return True
        return False
