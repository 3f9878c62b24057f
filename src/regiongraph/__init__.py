"""regiongraph: Japanese lists of selected regions as a linked-data knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("regiongraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
