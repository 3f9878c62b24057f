"""The dataset description passes SEMIC's DCAT-AP 3.0 shapes, as catalogue harvesters check it."""

from __future__ import annotations

import hashlib

import pytest
import rdflib
from conftest import BASE, ROOT
from rdflib.namespace import SH

SHAPES = ROOT / "tests" / "dcat-ap"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


def violations(built, version: str) -> set[tuple[str, str, str]]:
    import pyshacl

    shapes = rdflib.Graph()
    for part in ("shapes", "range"):
        shapes.parse(SHAPES / f"dcat-ap-{version}-{part}.ttl")
    data = rdflib.Graph().parse(built / "dataset.ttl").parse(built / "regiongraph.ttl")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.sourceConstraintComponent)).removeprefix(str(SH)),
        )
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    }


def test_no_violation_of_dcat_ap_301_core_and_range_shapes(built) -> None:
    assert violations(built, "3.0.1") == set()


def test_dcat_ap_300_objects_only_to_the_byte_size_datatype(built) -> None:
    """3.0.0's shapes say xsd:decimal for dcat:byteSize, which 3.0.1 corrected."""
    found = violations(built, "3.0.0")
    assert {(path, component) for _, path, component in found} == {
        (str(DCAT.byteSize), "DatatypeConstraintComponent")
    }
    assert len(found) == 4  # the three dumps and the ontology


@pytest.mark.parametrize(
    "name", ["regiongraph.ttl", "regiongraph.jsonld", "regiongraph.nt", "ontology.ttl"]
)
def test_each_distribution_has_its_file_size_checksum_and_urls(built, name) -> None:
    description = rdflib.Graph().parse(built / "dataset.ttl")
    distribution = rdflib.URIRef(BASE + "dataset/" + name.replace(".", "-"))
    data = (built / name).read_bytes()
    assert description.value(distribution, DCAT.byteSize).toPython() == len(data)
    checksum = description.value(distribution, SPDX.checksum)
    assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
    assert description.value(distribution, DCAT.downloadURL) == rdflib.URIRef(BASE + name)
    assert description.value(distribution, DCAT.accessURL) == rdflib.URIRef(BASE + name)


def test_temporal_coverage_is_the_fiscal_year(built) -> None:
    description = rdflib.Graph().parse(built / "dataset.ttl")
    period = description.value(rdflib.URIRef(BASE + "dataset"), DCT.temporal)
    assert (period, rdflib.RDF.type, DCT.PeriodOfTime) in description
    assert str(description.value(period, DCAT.startDate)) == "2013-04-01"
    assert str(description.value(period, DCAT.endDate)) == "2014-03-31"


def test_the_download_location_is_configurable(tmp_path) -> None:
    import shutil

    import regiongraph

    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    (project / "regiongraph.toml").write_text(
        'download_base = "https://files.example.jp/rg/"\n', encoding="utf-8"
    )
    regiongraph.build(project)
    description = rdflib.Graph().parse(project / "dist" / "dataset.ttl")
    distribution = rdflib.URIRef(BASE + "dataset/regiongraph-nt")
    assert description.value(distribution, DCAT.downloadURL) == rdflib.URIRef(
        "https://files.example.jp/rg/regiongraph.nt"
    )
