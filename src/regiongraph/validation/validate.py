"""Validation entry points: the engine chosen for the data, shapes and ontology read from files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from regiongraph.errors import DataError
from regiongraph.rdf.read import read_triples
from regiongraph.validation.report import ValidationReport

ENGINES = ("auto", "pyshacl", "fast")
#: Above this many data triples, ``auto`` uses the fast engine when it is installed.
FAST_ENGINE_THRESHOLD = 20_000
#: ... or above this many bytes of N-Triples: pyshacl's cost grows with the text too (one valid
#: region with a 10 MB cell took pyshacl 162 s, the fast engine 0.64 s).
FAST_ENGINE_BYTES = 4_000_000


def load_rdf_dir(directory: Path) -> list[ox.Triple]:
    """All ``*.ttl`` files of a directory (shapes, ontology), parsed."""
    paths = sorted(directory.glob("*.ttl"))
    if not paths:
        raise DataError(f"{directory}: no *.ttl files")
    return [t for path in paths for t in read_triples(path)]


def choose_engine(engine: str, triples: int, data_bytes: int = 0) -> str:
    """``auto`` is pyshacl (the reference) except for large graphs when the fast engine is there.

    Large: more than :data:`FAST_ENGINE_THRESHOLD` triples or :data:`FAST_ENGINE_BYTES` bytes.
    """
    if engine not in ENGINES:
        raise DataError(f"unknown SHACL engine {engine!r}; choose from {', '.join(ENGINES)}")
    if engine == "auto":
        from regiongraph.validation.fast_engine import fast_engine_available

        large = triples > FAST_ENGINE_THRESHOLD or data_bytes > FAST_ENGINE_BYTES
        return "fast" if large and fast_engine_available() else "pyshacl"
    return engine


def validate(
    data: Sequence[ox.Triple],
    shapes: Sequence[ox.Triple],
    ontology: Sequence[ox.Triple],
    engine: str = "auto",
) -> ValidationReport:
    """Validate ``data`` (with the ontology's class axioms) against ``shapes``.

    Warnings and infos do not break conformance. ``engine``: ``pyshacl`` (the reference),
    ``fast`` (the optional ``shacl`` package, pinned; the parity test runs every shapes test
    case through both) or ``auto``.
    """
    if choose_engine(engine, len(data)) == "fast":
        from tempfile import TemporaryDirectory

        from regiongraph.rdf.write import to_ntriples
        from regiongraph.validation.fast_engine import validate_ntriples

        with TemporaryDirectory(prefix="regiongraph-") as directory:
            path = Path(directory) / "data.nt"
            path.write_bytes(to_ntriples(data))
            return validate_ntriples([path], [], shapes, ontology)
    from regiongraph.validation.pyshacl_engine import validate_with_pyshacl

    return validate_with_pyshacl(data, shapes, ontology)


def validate_files(
    paths: Sequence[Path],
    shapes: Sequence[ox.Triple],
    ontology: Sequence[ox.Triple],
    engine: str = "auto",
    counted_above: int | None = None,
) -> ValidationReport:
    """Validate RDF files (any format, their triples together) as :func:`validate` does.

    ``counted_above``: on the fast engine, see
    :func:`~regiongraph.validation.fast_engine.validate_ntriples`.

    Where the fast engine may be used, the files are streamed into one N-Triples file that it
    reads: a large graph is never held in memory as Python objects.
    """
    from tempfile import TemporaryDirectory

    from regiongraph.rdf.read import require_triples, write_as_ntriples
    from regiongraph.validation.fast_engine import validate_ntriples

    if choose_engine(engine, FAST_ENGINE_THRESHOLD + 1) != "fast":  # pyshacl whatever the size
        triples = []
        for path in paths:
            read = read_triples(path)
            require_triples(path, len(read))
            triples += read
        return validate(triples, shapes, ontology, engine)
    with TemporaryDirectory(prefix="regiongraph-") as directory:
        data = Path(directory) / "data.nt"
        with data.open("wb") as out:
            size = sum(require_triples(path, write_as_ntriples(path, out)) for path in paths)
        if choose_engine(engine, size, data.stat().st_size) != "fast":
            return validate(read_triples(data), shapes, ontology, "pyshacl")
        return validate_ntriples([data], [], shapes, ontology, counted_above=counted_above)
