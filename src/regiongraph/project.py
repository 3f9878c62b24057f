"""Locate a project: a directory holding data/ (sources, reference, curation), ontology/, shapes/.

Resolution order: an explicit directory; the current directory if it holds ``data/source``;
the project shipped inside the installed package; the source tree (editable installs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from regiongraph.errors import NotBuiltError, ProjectError

GRAPH_STEM = "regiongraph"
DATASET_FILE = "dataset.ttl"
CONTEXT_FILE = "context.jsonld"
ONTOLOGY_FILE = "ontology.ttl"


@dataclass(frozen=True)
class Dist:
    """The files a build writes into one directory (``dist/``), by what they hold."""

    directory: Path

    def graph(self, fmt: str = "n-triples") -> Path:
        """The graph's file in format ``fmt`` (a name of the formats table)."""
        from regiongraph.rdf.formats import by_name

        return self.directory / f"{GRAPH_STEM}.{by_name(fmt).extension}"

    @property
    def dataset(self) -> Path:
        return self.directory / DATASET_FILE

    @property
    def context(self) -> Path:
        return self.directory / CONTEXT_FILE

    @property
    def ontology(self) -> Path:
        return self.directory / ONTOLOGY_FILE

    def files(self) -> list[Path]:
        """Every file of a build, in the order they are listed."""
        from regiongraph.rdf.formats import names

        graphs = [self.graph(fmt) for fmt in names("graph")]
        return [*graphs, self.dataset, self.context, self.ontology]

    def dataset_files(self) -> list[Path]:
        """The files that together are the published dataset: graph, description, ontology.

        Raises :class:`NotBuiltError` when the graph has not been built here.
        """
        graph = self.graph()
        if not graph.is_file():
            raise NotBuiltError(self.directory)
        return [graph, self.dataset, self.ontology]


@dataclass(frozen=True)
class Project:
    """Paths of one project's parts."""

    root: Path
    shipped: bool = False

    @property
    def source_dir(self) -> Path:
        return self.root / "data" / "source"

    @property
    def reference_dir(self) -> Path:
        return self.root / "data" / "reference"

    @property
    def curation_dir(self) -> Path:
        return self.root / "data" / "curation"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def default_out(self) -> Path:
        """The project's dist/; for the shipped data, dist/ in the current directory.

        The shipped project lives inside the installed package, which is not a place to write.
        """
        return Path.cwd() / "dist" if self.shipped else self.root / "dist"

    @property
    def dist(self) -> Dist:
        """The files of the project's default build."""
        return Dist(self.default_out)

    def sources(self) -> list[Path]:
        """The project's source documents, sorted by name."""
        found = sorted(self.source_dir.glob("*.txt"))
        if not found:
            raise ProjectError(f"{self.source_dir}: no source documents (*.txt) found")
        return found


def _is_project(path: Path) -> bool:
    return (path / "data" / "source").is_dir()


def shipped_project() -> Project:
    """The project bundled with the package (or the source tree for an editable install)."""
    from importlib.resources import files

    bundled = Path(str(files("regiongraph"))) / "_project"
    if _is_project(bundled):
        return Project(bundled, shipped=True)
    tree = Path(__file__).resolve().parents[2]
    if _is_project(tree):  # an editable install: its dist/ is still not written into the tree
        return Project(tree, shipped=True)
    raise ProjectError("no shipped project data found: reinstall regiongraph")


def find_project(directory: str | Path | None = None) -> Project:
    """Return the project at ``directory``, else the current one, else the shipped one."""
    if directory is not None:
        path = Path(directory)
        if not _is_project(path):
            raise ProjectError(f"{path}: not a regiongraph project (no data/source directory)")
        return Project(path)
    if _is_project(Path.cwd()):
        return Project(Path.cwd())
    return shipped_project()


_URI_SPACE = re.compile(rb'void:uriSpace\s+"([^"]+)"|<http://rdfs\.org/ns/void#uriSpace> "([^"]+)"')


def built_base_iri(path: Path) -> str | None:
    """The base IRI a build's description names (``void:uriSpace``), if ``path`` is one."""
    if path.suffix not in (".ttl", ".nt") or not path.is_file() or path.stat().st_size > 1 << 20:
        return None
    match = _URI_SPACE.search(path.read_bytes())
    return None if match is None else (match[1] or match[2]).decode("utf-8")
