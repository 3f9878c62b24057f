"""``regiongraph build``: formats that agree, declared vocabulary, determinism, atomic output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import BASE, ROOT, SOURCE
from rdflib import OWL, RDF, RDFS, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, SKOS, VOID, XSD

from regiongraph.cli import main

RG = Namespace("https://example.org/regiongraph/ontology#")
OUTPUTS = (
    "regiongraph.ttl",
    "regiongraph.jsonld",
    "regiongraph.nt",
    "dataset.ttl",
    "context.jsonld",
    "ontology.ttl",
)


def test_build_summary_and_files(runner, tmp_path) -> None:
    result = runner.invoke(main, ["build", "--project", str(ROOT), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "regions 8, organizations 8, prefectures linked 9" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUTS)


def test_turtle_jsonld_and_ntriples_are_the_same_graph(built) -> None:
    turtle = rdflib.Graph().parse(built / "regiongraph.ttl")
    jsonld = rdflib.Graph().parse(built / "regiongraph.jsonld", format="json-ld")
    ntriples = rdflib.Graph().parse(built / "regiongraph.nt")
    assert len(turtle) > 1000
    assert isomorphic(turtle, jsonld)
    assert isomorphic(turtle, ntriples)


def test_every_fact_is_stated_once(built) -> None:
    lines = (built / "regiongraph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))


def test_jsonld_has_readable_keys(built) -> None:
    document = json.loads((built / "regiongraph.jsonld").read_text(encoding="utf-8"))
    toyama = next(
        n
        for n in document["@graph"]
        if n["id"] == "region/2013-research-and-industry-advancement-3"
    )
    assert toyama["type"] == "rg:Region"
    assert toyama["label"]["ja"] == "とやまナノテクコネクト・コアコンピタンスエリア"
    assert toyama["prefecture"] == ["prefecture/16"]
    assert toyama["numberInCategory"] == 3
    assert document["@context"]["@base"] == BASE
    shipped = json.loads((built / "context.jsonld").read_text(encoding="utf-8"))
    assert shipped["@context"] == document["@context"]


# Standard vocabularies with closed term lists in rdflib: a term not in the list does not exist.
STANDARD = {str(ns): ns for ns in (SKOS, DCTERMS, DCAT, VOID, PROV, ORG, FOAF, RDFS, RDF, OWL, XSD)}


def test_every_class_and_property_used_is_declared(built) -> None:
    ontology = rdflib.Graph().parse(built / "ontology.ttl")
    referenced = {str(o) for o in ontology.objects(None, RDFS.seeAlso)}  # no owl:imports
    data = rdflib.Graph().parse(built / "regiongraph.ttl")
    data += rdflib.Graph().parse(built / "dataset.ttl")
    used = set(data.predicates()) | set(data.objects(None, RDF.type))
    undeclared = []
    for term in sorted(used):
        if (term, RDF.type, None) in ontology:
            continue
        namespace = next((ns for ns in STANDARD if str(term).startswith(ns)), None)
        if namespace is None:
            undeclared.append(term)
            continue
        local = str(term)[len(namespace) :]
        builtin = namespace in (str(RDF), str(RDFS), str(OWL), str(XSD))
        assert builtin or namespace.rstrip("#/") in {i.rstrip("#/") for i in referenced}, term
        try:
            STANDARD[namespace][local]
        except (AttributeError, KeyError):
            undeclared.append(term)
    assert undeclared == []


def test_the_ontology_imports_nothing(built) -> None:
    """Offline tools must not stop on imports: the vocabularies are referenced, not imported."""
    ontology = rdflib.Graph().parse(built / "ontology.ttl")
    assert list(ontology.objects(None, OWL.imports)) == []
    prefecture_code = URIRef("http://imi.go.jp/ns/core/rdf#都道府県コード")
    assert list(ontology.objects(prefecture_code, RDFS.domain)) == []


def test_ontology_terms_have_labels_comments_in_ja_and_en(built) -> None:
    ontology = rdflib.Graph().parse(built / "ontology.ttl")
    terms = set(ontology.subjects(RDF.type, OWL.Class)) | set(
        ontology.subjects(RDF.type, OWL.ObjectProperty)
    )
    terms |= set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert URIRef(RG.Region) in terms
    for term in terms:
        for predicate in (RDFS.label, RDFS.comment):
            languages = {o.language for o in ontology.objects(term, predicate)}
            assert {"ja", "en"} <= languages, (term, predicate)
    version = ontology.value(URIRef("https://example.org/regiongraph/ontology"), OWL.versionIRI)
    assert version is not None


def _build_in_subprocess(out: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "regiongraph", "build", "--project", str(ROOT), "--out", str(out)],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )


def test_two_builds_are_byte_identical(tmp_path) -> None:
    _build_in_subprocess(tmp_path / "a", {"PYTHONHASHSEED": "1"})
    _build_in_subprocess(tmp_path / "b", {"PYTHONHASHSEED": "2"})
    for name in OUTPUTS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_json_ld_written_in_parts_is_the_same_document(tmp_path, built, monkeypatch) -> None:
    import regiongraph.pipeline as pipeline

    monkeypatch.setattr(pipeline, "JSON_LD_PARTS_FROM", 0)  # the children inherit it (fork)
    result = regiongraph_build(tmp_path / "parts")
    assert "serialize json-ld 2" in result.timings  # written by two processes
    for name in ("regiongraph.jsonld", "dataset.ttl"):
        assert (tmp_path / "parts" / name).read_bytes() == (built / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == sorted(
        p.name for p in built.iterdir()
    )  # no part file left behind


def test_json_ld_parts_cut_between_subjects_at_the_last_parts_share(monkeypatch) -> None:
    import regiongraph.pipeline as pipeline
    from regiongraph.pipeline import _json_ld_parts, make_graph
    from regiongraph.project import find_project

    graph = make_graph(find_project(ROOT)).graph
    order = graph.subject_order()
    for share in (0.4, 0.5):
        monkeypatch.setattr(pipeline, "JSON_LD_LAST_SHARE", share)
        first, second = _json_ld_parts(graph, order, 2)
        assert first + second == order  # every subject once, in order
        statements = sum(len(graph.subjects[s][1]) for s in first)
        # at the share, within the most statements of one subject (26 in the shipped list)
        assert 0 <= statements - (1 - share) * graph.size <= 26, (share, statements)
    assert _json_ld_parts(graph, order, 1) == [order]


def regiongraph_build(out: Path):
    from regiongraph.pipeline import build
    from regiongraph.project import find_project

    return build(find_project(ROOT), out)


def test_dates_come_from_source_date_epoch_only(tmp_path, runner, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    runner.invoke(main, ["build", "--project", str(ROOT), "--out", str(tmp_path / "plain")])
    assert "dcterms:modified" not in (tmp_path / "plain" / "dataset.ttl").read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1385856000")  # 2013-12-01
    runner.invoke(main, ["build", "--project", str(ROOT), "--out", str(tmp_path / "dated")])
    dataset = rdflib.Graph().parse(tmp_path / "dated" / "dataset.ttl")
    assert str(dataset.value(URIRef(BASE + "dataset"), DCTERMS.modified)) == "2013-12-01"


def test_dataset_description(built) -> None:
    dataset = rdflib.Graph().parse(built / "dataset.ttl")
    node = URIRef(BASE + "dataset")
    assert (node, RDF.type, DCAT.Dataset) in dataset
    assert dataset.value(node, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    triples = len(rdflib.Graph().parse(built / "regiongraph.nt"))
    assert dataset.value(node, VOID.triples).toPython() == triples
    rights = {o.language: str(o) for o in dataset.objects(node, DCTERMS.rights)}
    assert "「地域イノベーション戦略推進地域（平成25年度公募分）一覧」" in rights["ja"]
    assert "加工して作成" in rights["ja"]
    vocabularies = {str(o) for o in dataset.objects(node, VOID.vocabulary)}
    assert {str(SKOS), str(ORG), str(PROV), str(RG)} <= vocabularies
    assert URIRef(BASE + "region/2013-international-competitiveness-1") in set(
        dataset.objects(node, VOID.exampleResource)
    )


def _copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    return project


def test_a_failed_build_leaves_the_previous_output_intact(tmp_path, runner) -> None:
    project = _copy_project(tmp_path)
    out = tmp_path / "dist"
    assert (
        runner.invoke(main, ["build", "--project", str(project), "--out", str(out)]).exit_code == 0
    )
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    broken = project / "data" / "source" / "zz-broken.txt"
    broken.write_text(
        SOURCE.read_text(encoding="utf-8").replace("3\t富士山麓", "5\t富士山麓"), encoding="utf-8"
    )
    result = runner.invoke(main, ["build", "--project", str(project), "--out", str(out)])
    assert result.exit_code == 2
    assert "zz-broken.txt:13: number out of sequence" in result.output
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["dist", "project"]  # no staging left


SECOND_LIST = """地域イノベーション戦略推進地域（平成26年度公募分）一覧

(1) 研究機能・産業集積高度化地域に選定された1地域
 (地域の特性を活かしたイノベーションが期待できる地域)

\t地域名\t協議会\t総合調整機関\t全体構想のテーマ名\t全体構想の概要
1\tとやま次世代ものづくり地域\tイノベーション推進協議会\t公益財団法人富山県新世紀産業機構\t富山のナノテク\t富山県の工業集積を活かす。
"""


def test_a_second_document_just_works(tmp_path, runner) -> None:
    project = _copy_project(tmp_path)
    (project / "data" / "source" / "fy2014.txt").write_text(SECOND_LIST, encoding="utf-8")
    out = tmp_path / "dist"
    result = runner.invoke(main, ["build", "--project", str(project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "regions 9, organizations 8," in result.output
    lines = (out / "regiongraph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))  # shared organizations and categories are stated once
    graph = rdflib.Graph().parse(out / "regiongraph.ttl")
    new = URIRef(BASE + "region/2014-research-and-industry-advancement-1")
    old = URIRef(BASE + "region/2013-research-and-industry-advancement-3")
    assert graph.value(new, RG.call) == URIRef(BASE + "call/2014")
    # the same coordinating organization in two calls is one resource
    assert graph.value(new, RG.coordinatingOrganization) == graph.value(
        old, RG.coordinatingOrganization
    )
    # a council sharing a name is still its own resource
    assert graph.value(new, RG.council) != graph.value(
        URIRef(BASE + "region/2013-research-and-industry-advancement-4"), RG.council
    )
    assert {str(p) for p in graph.objects(new, RG.prefecture)} == {BASE + "prefecture/16"}
    # no curated English label yet: the Japanese one is there, the English one is not
    assert {o.language for o in graph.objects(new, RDFS.label)} == {"ja"}


def test_base_iri_from_option_and_from_config(tmp_path, runner) -> None:
    project = _copy_project(tmp_path)
    (project / "regiongraph.toml").write_text('base_iri = "https://data.example.jp/rg/"\n')
    runner.invoke(main, ["build", "--project", str(project), "--out", str(tmp_path / "a")])
    assert (
        "<https://data.example.jp/rg/region/2013-international-competitiveness-1>"
        in (tmp_path / "a" / "regiongraph.nt").read_text()
    )
    runner.invoke(
        main,
        [
            "build",
            "--project",
            str(project),
            "--out",
            str(tmp_path / "b"),
            "--base-iri",
            "http://x.test/",
        ],
    )
    assert "<http://x.test/prefecture/16>" in (tmp_path / "b" / "regiongraph.nt").read_text()
    result = runner.invoke(main, ["build", "--project", str(project), "--base-iri", "not an iri"])
    assert result.exit_code == 2
    assert "base IRI 'not an iri' must be an absolute http(s) IRI" in result.output


def test_build_outside_a_project_uses_the_shipped_data(tmp_path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "regions 8," in result.output
    # output goes to ./dist, never into the package or the source tree it was installed from
    assert (tmp_path / "dist" / "regiongraph.ttl").is_file()


def test_turtle_keeps_our_prefix_lines_however_oxigraph_writes() -> None:
    """Oxigraph's own prefix lines are dropped even when they arrive a byte at a time."""
    import io

    import pyoxigraph as ox

    from regiongraph.rdf.write import _WithoutPrefixLines, write_turtle

    prefixes = {"b": "http://b/", "a": "http://a/"}
    triples = [ox.Triple(ox.NamedNode("http://a/x"), ox.NamedNode("http://b/p"), ox.Literal("v"))]
    whole = io.BytesIO()
    write_turtle(triples, prefixes, whole)
    assert whole.getvalue() == (
        b'@prefix b: <http://b/> .\n@prefix a: <http://a/> .\n\na:x b:p "v" .\n'
    )
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    out = io.BytesIO()
    writer = _WithoutPrefixLines(out)
    for i in range(len(body)):
        writer.write(body[i : i + 1])
    assert out.getvalue() == b'a:x b:p "v" .\n'


def test_work_in_a_child_process_returns_its_result_or_its_error(monkeypatch) -> None:
    """The build's graph phase runs in a child: results, user errors and crashes come back."""
    import multiprocessing

    import pytest

    from regiongraph.errors import SourceError
    from regiongraph.isolate import Child, in_child

    def fails() -> None:
        raise SourceError("a.txt", 3, "number out of sequence")

    def crashes() -> None:
        os._exit(3)

    assert in_child(lambda: os.getpid()) != os.getpid()
    with pytest.raises(SourceError, match=r"^a\.txt:3: number out of sequence$"):
        in_child(fails)
    with pytest.raises(RuntimeError, match="ended without a result"):
        Child(crashes).result()
    # the serializing child yields the CPU to validation, the longer path
    assert Child(lambda: os.nice(0), nice=5).result() == min(os.nice(0) + 5, 19)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert in_child(lambda: os.getpid()) == os.getpid()  # no fork: done here


def test_a_result_is_taken_before_its_child_has_exited_and_the_child_is_reaped(
    capfd, monkeypatch
) -> None:
    """A child's result comes back without waiting for the system to take back the child's
    memory (half a second for the graph's process); what it printed comes first, and it is
    reaped once it has exited, leaving no zombie."""
    import time

    from regiongraph import isolate
    from regiongraph.isolate import Child

    def prints() -> int:
        print("from the child", end="")  # not flushed by the work itself
        return os.getpid()

    exit_now = os._exit
    monkeypatch.setattr(os, "_exit", lambda code: (time.sleep(3), exit_now(code)))  # slow exit
    before = _children()
    start = time.monotonic()
    pid = Child(prints).result()
    assert time.monotonic() - start < 2
    assert capfd.readouterr().out == "from the child"
    assert str(pid) not in _children()  # reaped, once exited
    assert _children() == before
    assert isolate._exiting == []


def test_a_child_that_dies_is_known_at_once_though_its_own_child_lives_on() -> None:
    """The graph's process starts a JSON-LD writer of its own: should the graph's process
    die, its parent hears of it then, not once that writer ends."""
    import time

    import pytest

    from regiongraph.isolate import Child

    def dies_leaving_a_child() -> None:
        Child(lambda: time.sleep(4))  # not waited for
        os._exit(3)

    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"ended without a result \(exit 3\)"):
        Child(dies_leaving_a_child).result()
    assert time.monotonic() - start < 2


def test_a_jsonld_10_processor_reads_the_same_graph(built) -> None:
    """PyLD in JSON-LD 1.0 mode (as Jena's 1.0 parser or jsonld-java) gives the N-Triples' triples."""
    import pyoxigraph as ox
    from pyld import jsonld

    document = json.loads((built / "regiongraph.jsonld").read_text(encoding="utf-8"))
    assert "@version" not in document["@context"]
    quads = jsonld.to_rdf(
        document, {"processingMode": "json-ld-1.0", "format": "application/n-quads"}
    )
    read = {str(q.triple) for q in ox.parse(quads.encode(), format=ox.RdfFormat.N_QUADS)}
    written = {str(q.triple) for q in ox.parse(path=built / "regiongraph.nt")}
    assert read == written


def _json_shape(value: object) -> str:
    if isinstance(value, dict):
        return "object of " + ",".join(sorted({_json_shape(v) for v in value.values()}))
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def test_jsonld_keys_and_types_are_the_same_for_every_node_of_a_class(built) -> None:
    """JSON users meet one shape: same keys and JSON types per class, every key compacted."""
    document = json.loads((built / "regiongraph.jsonld").read_text(encoding="utf-8"))
    nodes = document["@graph"]
    assert not [key for node in nodes for key in node if ":" in key]
    regions = [node for node in nodes if node["type"] == "rg:Region"]
    shapes = {tuple(sorted((k, _json_shape(v)) for k, v in node.items())) for node in regions}
    assert len(regions) == 8 and len(shapes) == 1
    (shape,) = shapes
    assert ("prefecture", "array") in shape and ("field", "array") in shape
    kyoto = next(
        node for node in regions if node["label"]["ja"] == "京都科学技術イノベーション創出地域"
    )
    assert kyoto["field"] == []
    hokuriku = next(node for node in regions if "北陸" in node["label"]["ja"])
    assert hokuriku["prefecture"] == ["prefecture/16", "prefecture/17", "prefecture/18"]
    toyama = next(node for node in regions if node["label"]["ja"].startswith("とやま"))
    assert toyama["prefecture"] == ["prefecture/16"]


def test_json_ld_written_from_n_triples_text_reads_back_as_the_same_terms() -> None:
    """JSON-LD copies a literal's N-Triples text as its JSON string, and decodes only the
    escapes JSON writes otherwise: a JSON-LD reader (rdflib's) reads the same terms back, and
    a JSON reader the same strings."""
    from regiongraph.rdf.jsonld import to_jsonld
    from regiongraph.rdf.read import to_rdflib

    x = "http://x/"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    strings = [
        '"quoted" \\ back\nline\ttab\r\b\f',
        "<script>alert('x')</script> . ",
        "\u0000\u001f\u007f \U0001f5fe 富山県",
        "a \\u0041 that is no escape",
        "",
    ]
    tricky = (
        [
            ox.Triple(
                ox.NamedNode(x + "a"), ox.NamedNode(x + "label"), ox.Literal(v, language="ja")
            )
            for v in strings
        ]
        + [
            ox.Triple(ox.NamedNode(x + "b"), ox.NamedNode(x + "note"), ox.Literal(v))
            for v in strings
        ]
        + [
            ox.Triple(ox.NamedNode(x + "c"), ox.NamedNode(x + p), o)
            for p, o in [
                ("note", ox.Literal(strings[2])),
                ("n", ox.Literal("12", datatype=ox.NamedNode(xsd + "integer"))),
                ("m", ox.Literal("05", datatype=ox.NamedNode(xsd + "integer"))),
                ("t", ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))),
                ("other", ox.Literal(strings[0], language="en")),
                ("ref", ox.NamedNode(x + "b")),
                ("ref", ox.BlankNode("b1")),
            ]
        ]
        + [  # nodes of one shape, one of which does not fit its term
            ox.Triple(ox.NamedNode(x + "d"), ox.NamedNode(x + "ref"), ox.Literal("no IRI")),
            ox.Triple(ox.NamedNode(x + "e"), ox.NamedNode(x + "ref"), ox.NamedNode(x + "b")),
            ox.Triple(ox.NamedNode(x + "f"), ox.NamedNode(x + "ref"), ox.NamedNode(x + "c")),
        ]
    )
    context = {
        "@base": x,
        "id": "@id",
        "type": "@type",
        "label": {"@id": x + "label", "@container": "@language"},
        "note": {"@id": x + "note"},
        "n": {"@id": x + "n"},
        "m": {"@id": x + "m"},
        "t": {"@id": x + "t"},
        "ref": {"@id": x + "ref", "@type": "@id"},
    }
    data = to_jsonld(tricky, context)
    document = json.loads(data)
    by_id = {node["id"]: node for node in document["@graph"]}
    assert by_id["c"]["note"] == strings[2]
    assert by_id["c"]["n"] == 12
    assert by_id["c"][x + "m"] == {"@value": "05", "@type": xsd + "integer"}  # not canonical
    assert by_id["c"]["t"] is True
    assert sorted(by_id["b"]["note"]) == sorted(strings)
    assert by_id["c"]["ref"] == ["_:b1", "b"]
    assert by_id["d"][x + "ref"] == {"@value": "no IRI"}
    assert (by_id["e"]["ref"], by_id["f"]["ref"]) == ("b", "c")
    read = rdflib.Graph().parse(data=data, format="json-ld")
    assert isomorphic(read, to_rdflib(tricky))


def test_pieces_are_written_as_if_joined_after_what_the_file_holds(tmp_path, monkeypatch) -> None:
    """The graph's writers write their pieces unjoined (gathered writes): the file reads as
    the buffered bytes before them, the pieces in order (more than one gathered write takes)
    and what comes after; its position is right; a short write is finished; a file object
    without a descriptor of its own (a gzip file's is the file under it) takes them joined."""
    import gzip
    import io

    from regiongraph import files

    pieces = [f'<s{i}> <p> "{"京" * (i % 5)}" .\n'.encode() for i in range(3000)]
    expected = b"head\n" + b"".join(pieces) + b"tail\n"
    path = tmp_path / "out.nt"
    with path.open("wb") as out:
        out.write(b"head\n")  # still in the file object's buffer
        files.write_pieces(out, pieces)
        assert out.tell() == len(expected) - len(b"tail\n")
        out.write(b"tail\n")
    assert path.read_bytes() == expected

    def short(fd: int, batch: list[bytes]) -> int:  # all but 7 bytes of the batch written
        return os.write(fd, b"".join(batch)[:-7])

    monkeypatch.setattr(files.os, "writev", short)
    with path.open("wb") as out:
        files.write_pieces(out, pieces)  # each gathered write leaves 7 bytes to write
    assert path.read_bytes() == b"".join(pieces)

    buffer = io.BytesIO()
    files.write_pieces(buffer, pieces)
    assert buffer.getvalue() == b"".join(pieces)
    with gzip.open(tmp_path / "out.nt.gz", "wb") as packed:  # a descriptor, not its own
        files.write_pieces(packed, pieces)
    assert gzip.decompress((tmp_path / "out.nt.gz").read_bytes()) == b"".join(pieces)


def test_a_concatenation_refills_its_pipe_by_halves_for_a_reader_of_small_reads(
    tmp_path, monkeypatch
) -> None:
    """A reader of 8 KiB at a time (as the fast engine reads) gets every byte, and the feeder
    waits for half the pipe to be read before it sends again, rather than sending each page as
    soon as it is read (a send and a wake-up for each: 2 s of CPU at 100,000 regions)."""
    import os

    from regiongraph import files

    sends: list[int] = []
    sendfile = os.sendfile

    def counted(*args: int) -> int:
        sends.append(sent := sendfile(*args))
        return sent

    monkeypatch.setattr(os, "sendfile", counted)
    data = tmp_path / "data.nt"
    data.write_bytes(b"<a> <b> <c> .\n" * 600_000)  # 8.4 MB: eight pipes' worth
    read = bytearray()
    with files.concatenation([data], b"", tmp_path / "e.nt") as path, path.open("rb") as pipe:
        while block := os.read(pipe.fileno(), 1 << 13):
            read += block
    assert bytes(read) == data.read_bytes()
    assert len(sends) < 8 * 4  # sending as soon as there is room: 336 sends here


def test_a_concatenation_reads_as_its_files_and_leaves_no_thread(tmp_path) -> None:
    """The fast engine reads the graph and its extra triples through a named pipe: the bytes
    of the files and the tail, and no feeding thread left, whether the reader reads all, stops
    early, never comes or comes late."""
    import threading
    import time

    from regiongraph.files import concatenation

    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    first.write_bytes(b"<a> <b> <c> .\n" * 300_000)  # more than a pipe holds
    second.write_bytes('<a> <b> "京都" .\n'.encode())
    threads = threading.active_count()
    with concatenation([first, second], b"<t> <u> <v> .\n", tmp_path / "all.nt") as path:
        assert path.read_bytes() == first.read_bytes() + second.read_bytes() + b"<t> <u> <v> .\n"
    with concatenation([first], b"", tmp_path / "early.nt") as path, path.open("rb") as reader:
        assert reader.read(14) == b"<a> <b> <c> .\n"
    with concatenation([first], b"", tmp_path / "never.nt"):
        pass
    # a reader that comes after all would fit in the pipe: still all (the data of a pipe that
    # nobody has open is lost, so the feeder may not write and close before the reader opens)
    with concatenation([second], b"", tmp_path / "late.nt") as path:
        time.sleep(0.3)
        read: list[bytes] = []
        reader = threading.Thread(target=lambda: read.append(path.read_bytes()), daemon=True)
        reader.start()
        reader.join(5)
        assert read == [second.read_bytes()]
    assert threading.active_count() == threads


def test_work_mapped_ahead_by_a_child_comes_back_in_order_with_its_errors() -> None:
    """Regions' links are found by a child process ahead of the graph builder: every result,
    in order; the function's error raised in the caller; a caller that stops early leaves
    no child behind."""
    import pytest

    from regiongraph.isolate import mapped_ahead

    results = list(mapped_ahead(lambda n: (os.getpid(), n * n), range(7), chunk=2))
    assert [square for _, square in results] == [0, 1, 4, 9, 16, 25, 36]
    assert {pid for pid, _ in results} - {os.getpid()}  # worked out elsewhere

    def fails_at_five(n: int) -> int:
        if n == 5:
            raise ValueError("five")
        return n

    with pytest.raises(ValueError, match="five"):
        list(mapped_ahead(fails_at_five, range(9), chunk=2))
    before = _children()
    stopped = mapped_ahead(lambda n: n, range(100_000), chunk=10)
    assert next(stopped) == 0
    stopped.close()
    assert _children() == before


def _children() -> set[str]:
    """This process's children, once those whose result was taken have exited and are reaped."""
    import time

    from regiongraph import isolate

    deadline = time.monotonic() + 10
    while isolate._exiting and time.monotonic() < deadline:  # bounded by the deadline
        isolate._reap_exited()
        time.sleep(0.01)
    return set(Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split())


def test_links_found_ahead_make_the_same_graph(monkeypatch) -> None:
    import regiongraph.graph.builder as builder
    from regiongraph.pipeline import make_graph
    from regiongraph.project import find_project

    inline = make_graph(find_project(ROOT)).graph
    monkeypatch.setattr(builder, "LINKS_AHEAD_FROM", 0)
    monkeypatch.setattr(builder, "LINKS_CHUNK", 3)  # the shipped list's 8 regions in 3 chunks
    import regiongraph.isolate as isolate

    pids: list[int] = []
    real = isolate.mapped_ahead
    monkeypatch.setattr(
        isolate,
        "mapped_ahead",
        lambda function, items, chunk: real(
            lambda item: pids.append(os.getpid()) or function(item), items, chunk
        ),
    )
    ahead = make_graph(find_project(ROOT)).graph
    assert pids == []  # appended in the child: found there
    assert list(ahead.groups()) == list(inline.groups())
    assert ahead.stats == inline.stats


def test_a_builder_error_with_links_ahead_is_raised_and_leaves_no_child(monkeypatch) -> None:
    """The graph builder fails midway while the links child is still sending: the builder's
    own error comes out, and the child is gone."""
    import pytest

    import regiongraph.graph.builder as builder
    from regiongraph.errors import DataError
    from regiongraph.pipeline import make_graph
    from regiongraph.project import find_project

    monkeypatch.setattr(builder, "LINKS_AHEAD_FROM", 0)
    monkeypatch.setattr(builder, "LINKS_CHUNK", 1)  # a chunk per region: the child runs ahead
    real = builder.GraphBuilder._region
    seen: list[int] = []

    def fails_at_the_third(self, record, source, call) -> None:  # type: ignore[no-untyped-def]
        seen.append(record.provenance.line)
        if len(seen) == 3:
            raise DataError(f"line {record.provenance.line}: made to fail")
        real(self, record, source, call)

    monkeypatch.setattr(builder.GraphBuilder, "_region", fails_at_the_third)
    before = _children()
    with pytest.raises(DataError, match="made to fail"):
        make_graph(find_project(ROOT))
    assert _children() == before


def test_without_fork_a_build_writes_the_same_files_and_its_errors(
    tmp_path, built, monkeypatch
) -> None:
    """Where fork is missing, every child's work runs in the build's own process: the same
    files, and a bad source is still a clear error."""
    import multiprocessing

    import pytest

    import regiongraph.graph.builder as builder
    import regiongraph.pipeline as pipeline
    from regiongraph.errors import SourceError

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(pipeline, "JSON_LD_PARTS_FROM", 0)  # two parts, both written here
    monkeypatch.setattr(builder, "LINKS_AHEAD_FROM", 0)  # links "ahead", found here as read
    monkeypatch.setattr(builder, "LINKS_CHUNK", 3)
    result = regiongraph_build(tmp_path / "here")
    assert "serialize json-ld 2" in result.timings
    for name in OUTPUTS:
        assert (tmp_path / "here" / name).read_bytes() == (built / name).read_bytes(), name
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    for part in ("ontology", "shapes"):
        shutil.copytree(ROOT / part, project / part)
    source = next((project / "data" / "source").glob("*.txt"))
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("2\t"))
    lines[row] = "9" + lines[row][1:]  # a row number out of sequence
    source.write_text("".join(lines), encoding="utf-8")
    from regiongraph.pipeline import build
    from regiongraph.project import Project

    with pytest.raises(SourceError, match=rf"{source.name}:{row + 1}: number out of sequence"):
        build(Project(project), tmp_path / "bad")
    assert not (tmp_path / "bad").exists()


def test_a_growing_file_is_read_to_its_end_once_its_writer_says_so(tmp_path) -> None:
    """The Turtle writer reads the N-Triples as the graph's process writes them: each read
    waits for more (or for the file to appear), the end comes only once the writer tells, and
    a writer that closes its pipe without telling is an error, not a short file."""
    import threading
    import time
    from multiprocessing import Pipe

    from regiongraph.files import GrowingFile

    path = tmp_path / "graph.nt"
    done, tell = Pipe(duplex=False)

    def write() -> None:
        time.sleep(0.1)  # the reader starts before the file exists
        with path.open("wb") as out:
            for index in range(5):
                out.write(f"<s{index}> <p> <o> .\n".encode())
                out.flush()
                time.sleep(0.05)
        tell.send(True)

    writer = threading.Thread(target=write)
    writer.start()
    with GrowingFile(path, done) as growing:
        read = growing.read()
    writer.join()
    assert read == b"".join(f"<s{index}> <p> <o> .\n".encode() for index in range(5))
    assert growing.completed is not None

    path.write_bytes(b"<s> <p> <o> .\n")
    done, tell = Pipe(duplex=False)
    tell.close()  # the writer's process ended without telling
    with GrowingFile(path, done) as growing, pytest.raises(OSError, match="not written to its end"):
        growing.read()


def test_a_turtle_writer_that_fails_early_fails_the_build_with_its_own_error(
    tmp_path, monkeypatch
) -> None:
    """The Turtle writer starts before the graph is made: if it fails before it is told that
    the N-Triples are complete, the build fails with its error (not a broken pipe), after
    every other child has ended, and publishes nothing."""
    import regiongraph.pipeline as pipeline
    from regiongraph.project import Project

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("no room for the Turtle (test)")

    monkeypatch.setattr(pipeline, "serialize_turtle", broken)
    with pytest.raises(OSError, match="no room for the Turtle"):
        pipeline.build(Project(ROOT), tmp_path / "out")
    assert not (tmp_path / "out").exists()
