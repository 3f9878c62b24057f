"""Domain errors: each names what is wrong and where, so the CLI can show it as one line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regiongraph.validation.report import ValidationReport


class RegiongraphError(Exception):
    """Base class of every error regiongraph reports to a user."""


class SourceError(RegiongraphError):
    """A source document cannot be read or does not follow the expected layout."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, int | None, str]]:
        return SourceError, (self.path, self.line, self.problem)


class DataError(RegiongraphError):
    """A data file of the project (reference, curation, ontology, shapes) is missing or wrong."""


class ProjectError(RegiongraphError):
    """The project directory cannot be used (missing parts, unwritable output)."""


class NotBuiltError(ProjectError):
    """A command reads the built graph, and there is none."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = str(directory)
        super().__init__(
            f"{self.directory}: no built graph here; run 'regiongraph build' first, "
            "or give the files with --data FILE"
        )

    def __reduce__(self) -> tuple[type[NotBuiltError], tuple[str]]:
        return NotBuiltError, (self.directory,)


class QueryError(RegiongraphError):
    """A SPARQL query is malformed, unknown, or not allowed."""


class StoreError(RegiongraphError):
    """A triple store refused, failed, timed out or could not be reached (push exits 3)."""


class ServerError(RegiongraphError):
    """The server cannot listen on its address, or its processes cannot keep running."""


class MissingExtraError(RegiongraphError):
    """An optional dependency is needed for this command."""

    def __init__(self, module: str, extra: str) -> None:
        self.module, self.extra = module, extra
        super().__init__(
            f"this needs the optional package {module!r}: pip install 'regiongraph[{extra}]'"
        )

    def __reduce__(self) -> tuple[type[MissingExtraError], tuple[str, str]]:
        return MissingExtraError, (self.module, self.extra)


class NotConformingError(RegiongraphError):
    """The graph does not conform to the shapes (exit code 1, not 2)."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__("the graph does not conform to the shapes")
