"""The wheel carries the project's data files, so an installed regiongraph builds anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_contains_data_ontology_shapes_and_queries(tmp_path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("regiongraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "regiongraph/py.typed",
        "regiongraph/_project/regiongraph.toml",
        "regiongraph/_project/data/source/regional-innovation-strategy-regions-fy2013.txt",
        "regiongraph/_project/data/reference/prefectures.csv",
        "regiongraph/_project/data/curation/fields.csv",
        "regiongraph/_project/ontology/regiongraph.ttl",
        "regiongraph/_project/ontology/context.jsonld",
        "regiongraph/_project/shapes/regiongraph.ttl",
        "regiongraph/_project/queries/parameters/prefecture.rq",
        "regiongraph/publish/templates/resource.html",
        "regiongraph/publish/templates/nginx.conf",
        "regiongraph/publish/templates/.htaccess",
        "regiongraph/publish/assets/site.js",
        "regiongraph/publish/tile-grid.csv",
        "regiongraph/publish/templates/sparql.html",
        "regiongraph/publish/assets/sparql.js",
        "regiongraph/serve/service-description.ttl",
        *(f"regiongraph/_project/queries/{p.name}" for p in (ROOT / "queries").glob("*.rq")),
    }
    assert expected <= names
    source = zipfile.ZipFile(wheel).read(
        "regiongraph/_project/data/source/regional-innovation-strategy-regions-fy2013.txt"
    )
    assert (
        source
        == (
            ROOT / "data" / "source" / "regional-innovation-strategy-regions-fy2013.txt"
        ).read_bytes()
    )
