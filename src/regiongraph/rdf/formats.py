"""The one table of formats: name, file extension and media type, used by every command."""

from __future__ import annotations

from dataclasses import dataclass

from regiongraph.errors import RegiongraphError


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    kind: str  # "graph" (RDF) or "results" (SPARQL SELECT/ASK results) or "text"


FORMATS: tuple[Format, ...] = (
    Format("turtle", "ttl", "text/turtle", "graph"),
    Format("json-ld", "jsonld", "application/ld+json", "graph"),
    Format("n-triples", "nt", "application/n-triples", "graph"),
    Format("table", "txt", "text/plain", "results"),
    Format("csv", "csv", "text/csv", "results"),
    Format("tsv", "tsv", "text/tab-separated-values", "results"),
    Format("json", "srj", "application/sparql-results+json", "results"),
    Format("xml", "srx", "application/sparql-results+xml", "results"),
)

GRAPH_FORMATS = tuple(f for f in FORMATS if f.kind == "graph")


def graph_format_for_path(path: str) -> Format:
    """The RDF format of a file, guessed from its extension."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    aliases = {"json": "jsonld", "n3": "ttl"}
    extension = aliases.get(extension, extension)
    for fmt in GRAPH_FORMATS:
        if fmt.extension == extension:
            return fmt
    known = ", ".join(f".{f.extension}" for f in GRAPH_FORMATS)
    raise RegiongraphError(
        f"{path}: cannot tell the RDF format from the extension (known: {known})"
    )
