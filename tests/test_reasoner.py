"""An OWL 2 DL reasoner accepts the ontology with the data: HermiT (owlready2), offline.

The ontology, the built graph and the axioms of PROV-O, ORG and SKOS (tests/reasoner/) are
loaded into one owlready2 world; HermiT must find them consistent, with no unsatisfiable class.
HermiT refuses datatypes outside the OWL 2 datatype map (xsd:gYear) and reports the PROV-O
clash of an rg:Call (a prov:Activity) carrying a sub-property of prov:wasDerivedFrom (whose
domain is prov:Entity): both were found by this test and fixed in the ontology.
"""

from __future__ import annotations

import io

from conftest import ROOT

VOCABULARIES = sorted((ROOT / "tests" / "reasoner").glob("*.ttl"))


def _ntriples(path) -> bytes:
    import rdflib

    graph = rdflib.Graph().parse(path)
    assert not list(graph.triples((None, rdflib.OWL.imports, None))), f"{path} has owl:imports"
    return graph.serialize(format="nt", encoding="utf-8")


def test_hermit_finds_ontology_and_data_consistent(built) -> None:
    import owlready2

    world = owlready2.World()
    files = [built / "ontology.ttl", built / "regiongraph.nt", built / "dataset.ttl", *VOCABULARIES]
    for number, path in enumerate(files):
        ontology = world.get_ontology(f"http://example.invalid/regiongraph-test/{number}")
        ontology.load(fileobj=io.BytesIO(_ntriples(path)))
    # raises OwlReadyInconsistentOntologyError if inconsistent, OwlReadyJavaError if refused
    owlready2.sync_reasoner_hermit(world, debug=0)
    assert list(world.inconsistent_classes()) == []
    region = world.search_one(iri="https://example.org/regiongraph/ontology#Region")
    assert region is not None and len(region.instances()) == 8
