"""Project settings from ``regiongraph.toml``; command-line options override them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from regiongraph.errors import DataError
from regiongraph.rdf.iris import check_base_iri
from regiongraph.rdf.namespaces import DEFAULT_BASE_IRI

CONFIG_FILE = "regiongraph.toml"


@dataclass(frozen=True)
class Settings:
    base_iri: str = DEFAULT_BASE_IRI
    publisher: str = "regiongraph project"
    download_base: str | None = None  # where the dumps are published; default: the base IRI

    @property
    def downloads(self) -> str:
        """The address the dump files are published under (``download_base`` or the base IRI)."""
        return self.download_base or self.base_iri


def load_settings(root: Path, base_iri: str | None = None) -> Settings:
    """Read ``root/regiongraph.toml`` if present; ``base_iri`` overrides the file."""
    values: dict[str, str] = {}
    path = root / CONFIG_FILE
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise DataError(f"{path}: {error}") from None
        unknown = sorted(set(raw) - {"base_iri", "publisher", "download_base"})
        if unknown:
            raise DataError(f"{path}: unknown setting(s) {', '.join(unknown)}")
        for key, value in raw.items():
            if not isinstance(value, str):
                raise DataError(f"{path}: {key} must be a string")
            values[key] = value
    if base_iri is not None:
        values["base_iri"] = base_iri
    settings = Settings(**values)
    check_base_iri(settings.base_iri)
    if settings.download_base is not None:
        check_base_iri(settings.download_base)
    return settings
