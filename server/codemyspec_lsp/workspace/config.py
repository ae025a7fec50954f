"""``.codemyspec/config.toml`` -> :class:`WorkspaceConfig`, with a default for every key.

A missing file gives the defaults. A file that does not parse or does not validate also
gives the defaults, plus a :class:`ConfigProblem` naming the file (and the line where
known) so the server can show it; a broken config never stops a session.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from codemyspec_lsp.agents.presets import DEFAULT_PRESET, PRESET_NAMES
from codemyspec_lsp.architecture.modules import KnownModules
from codemyspec_lsp.design.options import ValidationOptions
from codemyspec_lsp.design.sections import ALL_SECTION_KEYS
from codemyspec_lsp.docs import check_base_url

CONFIG_PATH = PurePosixPath(".codemyspec/config.toml")
MODULE_NAME = re.compile(r"^[A-Z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*$")
PLACEHOLDERS: tuple[str, ...] = ("design_file", "branch", "context", "python")
# A preset for this process only, over the file's [agent] (`codemyspec run --agent NAME`).
AGENT_ENV = "CODEMYSPEC_AGENT"

Argv = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class _Section(BaseModel):
    # A typo in a key is a reported problem rather than a silently ignored setting.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProjectConfig(_Section):
    name: str | None = None
    module: str | None = None
    description: str = ""

    @field_validator("module")
    @classmethod
    def _module_name(cls, value: str | None) -> str | None:
        if value is not None and not MODULE_NAME.match(value):
            raise ValueError(f"{value!r} is not a module name (like Shop or MyApp)")
        return value


class DesignConfig(_Section):
    dir: str = "docs/design"
    required_sections: tuple[str, ...] = ALL_SECTION_KEYS
    max_file_bytes: Annotated[int, Field(gt=0)] = 2 * 1024 * 1024
    # Internal modules that exist without a design (architecture.md); None: the default
    # list for the project's module.
    known_modules: tuple[str, ...] | None = None

    @field_validator("known_modules")
    @classmethod
    def _module_names(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for name in value or ():
            plain = name[:-2] if name.endswith(".*") else name
            if not MODULE_NAME.match(plain):
                raise ValueError(f"{name!r} is not a module name (like Shop.Repo or ShopWeb.*)")
        return value

    @field_validator("dir")
    @classmethod
    def _relative_inside(cls, value: str) -> str:
        return check_design_dir(value)

    @field_validator("required_sections")
    @classmethod
    def _known_sections(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return normalise_sections(value)


class AgentConfig(_Section):
    """``[agent]``: a preset (``agents/presets.py``), or a ``command`` that replaces it."""

    preset: str = DEFAULT_PRESET
    extra_args: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    command: Argv | None = None  # wins over preset; run as written, the prompt on stdin
    resume: bool = True
    self_check: bool = True
    timeout_seconds: Annotated[int, Field(gt=0)] = 1800

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str) -> str:
        if value not in PRESET_NAMES:
            raise ValueError(f"unknown agent preset {value!r}; known: {', '.join(PRESET_NAMES)}")
        return value


class WorkflowConfig(_Section):
    max_attempts: Annotated[int, Field(ge=1)] = 3
    max_revisions: Annotated[int, Field(ge=0)] = 3


class EnvironmentConfig(_Section):
    setup: Literal["git-branch", "none"] | Argv = "git-branch"
    finalize: Literal["none"] | Argv = "none"


class DocsConfig(_Section):
    # Where diagnostics link to: <base_url>/diagnostics.md#cmsNNN; None: the installed copy.
    base_url: str | None = None

    @field_validator("base_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        return None if value is None else check_base_url(value)


class StoreConfig(_Section):
    """``[store]``: where sessions live. No URL: the workspace-local TinyDB store."""

    url: str | None = None  # a libpq URL or conninfo; the password comes from libpq's sources
    project: str | None = None  # the key shared by every clone; default: project.name

    @field_validator("url", "project")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or not value.isprintable()):
            raise ValueError("must be a non-empty string of printable characters")
        return value


class WorkspaceConfig(_Section):
    project: ProjectConfig = Field(default_factory=ProjectConfig)
    design: DesignConfig = Field(default_factory=DesignConfig)
    agent: AgentConfig = Field(default_factory=AgentConfig)
    workflow: WorkflowConfig = Field(default_factory=WorkflowConfig)
    environment: EnvironmentConfig = Field(default_factory=EnvironmentConfig)
    docs: DocsConfig = Field(default_factory=DocsConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)

    @property
    def project_name(self) -> str:
        assert self.project.name is not None, "load_config/for_root fills the name"
        return self.project.name

    @property
    def store_project(self) -> str:
        """The key sessions are stored under in a shared store: ``store.project``."""
        return self.store.project or self.project_name

    @property
    def project_module(self) -> str:
        assert self.project.module is not None, "load_config/for_root fills the module"
        return self.project.module

    def validation_options(self, context_module: str | None = None) -> ValidationOptions:
        """How this workspace's designs are validated (the editor, the steps, the CLI)."""
        return ValidationOptions(
            required_sections=self.design.required_sections,
            max_file_bytes=self.design.max_file_bytes,
            context_module=context_module,
        )

    def known_modules(self) -> KnownModules:
        """Which dependencies are internal and which exist without a design."""
        return KnownModules.of(self.project_module, self.design.known_modules)

    def for_root(self, root: Path) -> WorkspaceConfig:
        """Fill the defaults that depend on where the workspace is."""
        name = self.project.name or root.resolve().name or "App"
        module = self.project.module or pascal_case(name)
        project = self.project.model_copy(update={"name": name, "module": module})
        return self.model_copy(update={"project": project})

    def with_overrides(
        self,
        *,
        design_dir: str | None = None,
        required_sections: Iterable[str] | None = None,
        docs_base_url: str | None = None,
    ) -> WorkspaceConfig:
        """The editor's settings (``codemyspec.designDir``, ``requiredSections``,
        ``docsBaseUrl``) win.

        Raises ``ValueError`` for a design dir outside the workspace, an unknown section or
        a docs base URL that is not an absolute URL.
        """
        update: dict[str, object] = {}
        if design_dir is not None:
            update["dir"] = check_design_dir(design_dir)
        if required_sections is not None:
            update["required_sections"] = normalise_sections(tuple(required_sections))
        docs = self.docs
        if docs_base_url is not None:
            docs = docs.model_copy(update={"base_url": check_base_url(docs_base_url)})
        return self.model_copy(
            update={"design": self.design.model_copy(update=update), "docs": docs}
        )


@dataclass(frozen=True)
class ConfigOverrides:
    """The editor's ``workspace/configuration`` section ``codemyspec``."""

    design_dir: str | None = None
    required_sections: tuple[str, ...] | None = None
    docs_base_url: str | None = None

    def apply(self, config: WorkspaceConfig) -> WorkspaceConfig:
        return config.with_overrides(
            design_dir=self.design_dir,
            required_sections=self.required_sections,
            docs_base_url=self.docs_base_url,
        )


@dataclass(frozen=True)
class ConfigProblem:
    """What is wrong with the config file. ``line`` is 0-based (LSP numbering), None if unknown."""

    path: Path
    message: str
    line: int | None = None


def load_config(root: Path) -> tuple[WorkspaceConfig, ConfigProblem | None]:
    config, problem = _load_config(root)
    return with_agent_override(config, os.environ.get(AGENT_ENV)), problem


def with_agent_override(config: WorkspaceConfig, preset: str | None) -> WorkspaceConfig:
    """``config`` running the preset ``preset`` instead (unknown or empty: unchanged)."""
    if (
        not preset
        or preset not in PRESET_NAMES
        or (preset == config.agent.preset and config.agent.command is None)
    ):
        return config
    agent = config.agent.model_copy(update={"preset": preset, "command": None, "extra_args": []})
    return config.model_copy(update={"agent": agent})


def _load_config(root: Path) -> tuple[WorkspaceConfig, ConfigProblem | None]:
    path = root / CONFIG_PATH
    defaults = WorkspaceConfig().for_root(root)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return defaults, None
    except OSError as exc:
        return defaults, ConfigProblem(path, f"{path}: cannot be read ({exc.strerror})")
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return defaults, ConfigProblem(path, f"{path}: not UTF-8 text; using the defaults", 0)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        return defaults, ConfigProblem(path, f"{path}: {exc}; using the defaults", line)
    try:
        config = WorkspaceConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = f"{path}: {where}: {first['msg']}; using the defaults"
        return defaults, ConfigProblem(path, message, _key_line(text, first["loc"]))
    return config.for_root(root), None


def expand_argv(argv: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """Replace ``{design_file}``, ``{branch}``, ``{context}``, ``{python}`` in each element.

    Element by element, so a value never splits into or joins with other arguments.
    Unknown braces are left as they are.
    """
    expanded = []
    for element in argv:
        value = element
        for name in PLACEHOLDERS:
            if name in values:
                value = value.replace("{" + name + "}", values[name])
        expanded.append(value)
    return expanded


def pascal_case(name: str) -> str:
    """``my-shop`` -> ``MyShop``: the default root module for a folder name."""
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", name) if part]
    module = "".join(part[:1].upper() + part[1:] for part in parts)
    if not module or not module[0].isalpha() or not module.isascii():
        module = "App" + module
    return module


def check_design_dir(value: str) -> str:
    posix = PurePosixPath(value.replace("\\", "/"))
    if not value.strip() or posix.is_absolute() or ".." in posix.parts or "\x00" in value:
        raise ValueError(f"design dir {value!r} must be a relative path inside the workspace")
    return str(posix)


def normalise_sections(value: Iterable[str]) -> tuple[str, ...]:
    keys = tuple(" ".join(section.split()).lower() for section in value)
    unknown = [key for key in keys if key not in ALL_SECTION_KEYS]
    if unknown:
        raise ValueError(f"unknown section(s) {unknown}; known: {list(ALL_SECTION_KEYS)}")
    return keys


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) - 1 if match else None


def _key_line(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 0-based line of ``[table]`` / ``key =`` named by a validation error, if found."""
    lines = text.splitlines()
    table = str(loc[0]) if loc else ""
    key = str(loc[1]) if len(loc) > 1 else None
    start = None
    for number, line in enumerate(lines):
        if re.match(rf"^\s*\[\s*{re.escape(table)}\s*\]", line):
            start = number
            break
    if start is None or key is None:
        return start
    for number in range(start + 1, len(lines)):
        if re.match(r"^\s*\[", lines[number]):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[number]):
            return number
    return start
