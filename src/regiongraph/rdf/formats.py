"""The one table of formats: name, file extensions, media type and kind, used by every command.

Build names its files from it, ``query`` and ``validate`` take their ``--format`` choices from
it, the dataset description gives each distribution its media type from it, and readers guess a
file's format from its extension with it. It imports no RDF library: the CLI reads it at start.
"""

from __future__ import annotations

from dataclasses import dataclass

from regiongraph.errors import RegiongraphError


@dataclass(frozen=True)
class Format:
    """A format: ``kind`` is ``graph`` (RDF), ``results`` (SPARQL results) or ``report``."""

    name: str
    extensions: tuple[str, ...]  # the first is the one written
    media_type: str
    kind: str
    oxigraph: str | None = None  # the member of pyoxigraph's RdfFormat or QueryResultsFormat
    rdflib: str | None = None  # rdflib's parser name
    eu_file_type: str | None = None  # its code in the EU file-type table (DCAT-AP's dct:format)

    @property
    def extension(self) -> str:
        return self.extensions[0]


FORMATS: tuple[Format, ...] = (
    # EU file-type codes: RDF_TURTLE as in SEMIC's DCAT-AP 3.0 shapes; JSON_LD and
    # RDF_N_TRIPLES as in ckanext-dcat's DCAT-AP profiles.
    Format("turtle", ("ttl", "n3"), "text/turtle", "graph", "TURTLE", "turtle", "RDF_TURTLE"),
    Format(
        "json-ld",
        ("jsonld", "json"),
        "application/ld+json",
        "graph",
        "JSON_LD",
        "json-ld",
        "JSON_LD",
    ),
    Format(
        "n-triples", ("nt",), "application/n-triples", "graph", "N_TRIPLES", "nt", "RDF_N_TRIPLES"
    ),
    Format("table", ("txt",), "text/plain", "results"),
    Format("csv", ("csv",), "text/csv", "results", "CSV"),
    Format("tsv", ("tsv",), "text/tab-separated-values", "results", "TSV"),
    Format("json", ("srj", "json"), "application/sparql-results+json", "results", "JSON"),
    Format("xml", ("srx", "xml"), "application/sparql-results+xml", "results", "XML"),
)


def names(kind: str) -> list[str]:
    """The names of the formats of ``kind``, in table order."""
    return [f.name for f in FORMATS if f.kind == kind]


def by_name(name: str) -> Format:
    """The format called ``name``."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise RegiongraphError(f"unknown format {name!r}; known: {', '.join(f.name for f in FORMATS)}")


GRAPH_FORMATS = tuple(f for f in FORMATS if f.kind == "graph")


def graph_format_for_path(path: str) -> Format:
    """The RDF format of a file, guessed from its extension.

    >>> graph_format_for_path("dist/regiongraph.nt").media_type
    'application/n-triples'
    """
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    for fmt in GRAPH_FORMATS:
        if extension in fmt.extensions:
            return fmt
    known = ", ".join(f".{e}" for f in GRAPH_FORMATS for e in f.extensions)
    raise RegiongraphError(
        f"{path}: cannot tell the RDF format from the extension (known: {known})"
    )
