"""regiongraph: Japanese lists of selected regions as a linked-data knowledge graph.

The public API (see :mod:`regiongraph.api`), imported on first use so that the command line
starts fast::

    import regiongraph
    regiongraph.build()                      # data/ → dist/
    graph = regiongraph.load()               # an rdflib.Graph
    rows = regiongraph.query(name="regions-in-prefecture", params={"pref": "富山県"})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [  # written out, as static tools read it: the functions, then the error classes
    "__version__",
    "extract",
    "build",
    "load",
    "validate",
    "query",
    "prefixes",
    "publish",
    "server_app",
    "serve",
    "push",
    "export_csv",
    "link_corporate_numbers",
    "RegiongraphError",
    "SourceError",
    "DataError",
    "ProjectError",
    "NotBuiltError",
    "QueryError",
    "MissingExtraError",
    "NotConformingError",
    "StoreError",
]

if TYPE_CHECKING:
    from regiongraph.api import (
        build,
        export_csv,
        extract,
        link_corporate_numbers,
        load,
        prefixes,
        publish,
        push,
        query,
        serve,
        server_app,
        validate,
    )
    from regiongraph.errors import (
        DataError,
        MissingExtraError,
        NotBuiltError,
        NotConformingError,
        ProjectError,
        QueryError,
        RegiongraphError,
        SourceError,
        StoreError,
    )


def __getattr__(name: str) -> Any:
    if name in __all__ and name.endswith("Error"):
        from regiongraph import errors

        return getattr(errors, name)
    if name in __all__:
        from regiongraph import api

        return getattr(api, name)
    raise AttributeError(f"module 'regiongraph' has no attribute {name!r}")
