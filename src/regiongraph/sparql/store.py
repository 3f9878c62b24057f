"""The data a query runs on: the built files, loaded into Oxigraph (cached on disk) or rdflib."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from regiongraph.errors import QueryError
from regiongraph.project import Project

if TYPE_CHECKING:
    import rdflib


#: Below this many bytes of files, a query loads them into memory rather than use the cache.
CACHE_MIN_BYTES = 1_000_000


def graph_files(project: Project, data: Sequence[Path]) -> list[Path]:
    """The files to query: ``data`` if given, else the project's build (never built here)."""
    return list(data) if data else project.dist.dataset_files()


def load_store(paths: Sequence[Path]) -> ox.Store:
    """An in-memory Oxigraph store with the files' triples in its default graph."""
    store = ox.Store()
    for path in paths:
        _bulk_load(store, path)
    return store


def open_store(
    paths: Sequence[Path], cache: Path | None, progress: Callable[[str], None] | None = None
) -> ox.Store:
    """A store of ``paths``; with ``cache``, an on-disk Oxigraph store kept beside them.

    The cache is rebuilt when the files change (their names, sizes and modification times are
    its key), so repeated queries on a large graph skip parsing it. Files smaller than
    :data:`CACHE_MIN_BYTES` together, or without a usable cache directory, are loaded into
    memory instead: opening the on-disk store costs about 30 ms, more than parsing them.
    """
    stats = [(p.name, p.stat()) for p in paths if p.exists()]
    if cache is None or sum(stat.st_size for _, stat in stats) < CACHE_MIN_BYTES:
        return load_store(paths)
    key = json.dumps([[name, stat.st_size, stat.st_mtime_ns] for name, stat in stats])
    manifest = cache / "manifest.json"
    try:
        if manifest.is_file() and manifest.read_text(encoding="utf-8") == key:
            return ox.Store.read_only(str(cache / "db"))
        import shutil
        import tempfile

        cache.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".oxigraph-", dir=cache.parent))
        started = time.monotonic()
        if progress is not None:
            size = sum(stat.st_size for _, stat in stats) / 1e6
            progress(f"query store: loading {size:,.0f} MB into {cache} (once per build)")
        try:
            store = ox.Store(str(staging / "db"))
            for path in paths:
                _bulk_load(store, path)
            store.optimize()  # compacts the bulk-loaded files: joins read them 3x faster
            store.flush()
            del store
            (staging / "manifest.json").write_text(key, encoding="utf-8")
            shutil.rmtree(cache, ignore_errors=True)
            staging.rename(cache)
            if progress is not None:
                progress(f"query store: ready ({time.monotonic() - started:.1f} s)")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return ox.Store.read_only(str(cache / "db"))
    except OSError:
        return load_store(paths)


def _bulk_load(store: ox.Store, path: Path) -> None:
    from regiongraph.errors import DataError
    from regiongraph.rdf.read import has_no_triples, oxigraph_format

    try:
        if has_no_triples(path):
            raise QueryError(f"{path}: no triples (an empty or comment-only file)")
        store.bulk_load(path=str(path), format=oxigraph_format(path))
    except DataError as error:
        raise QueryError(str(error)) from None
    except FileNotFoundError:
        raise QueryError(f"{path}: file not found") from None
    except SyntaxError as error:
        raise QueryError(f"{path}: syntax error: {error}") from None


def load_rdflib(paths: Sequence[Path]) -> rdflib.Graph:
    """The same files as an rdflib graph, for rdflib's engine."""
    import rdflib

    from regiongraph.rdf.formats import graph_format_for_path

    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format=graph_format_for_path(str(path)).rdflib)
    return graph
