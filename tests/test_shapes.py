"""The SHACL shapes: every constraint fires on a case made to break it, and valid cases conform.

Cases are SPARQL Updates applied to ``shapes/base.ttl`` (a conforming cut of the built graph).
An invalid case lists, in ``# expect:`` lines, every result it must give: focus node, path,
constraint component, severity and the source shape (or SPARQL constraint). The results must be
exactly those: a case shows that its constraint fires, and nothing else does.
"""

from __future__ import annotations

import io
from dataclasses import replace
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import BASE, ROOT

from regiongraph.cli import main
from regiongraph.rdf.namespaces import RDF, RG, SH, SKOS, prefixes_for
from regiongraph.validation.report import ValidationReport
from regiongraph.validation.validate import load_rdf_dir, validate

CASES = Path(__file__).parent / "shapes"
INVALID = sorted((CASES / "invalid").glob("*.ru"))
VALID = sorted((CASES / "valid").glob("*.ru"))
PREFIXES = prefixes_for(BASE)
RGSH = "https://example.org/regiongraph/shapes#"
Key = tuple[str, str | None, str, str, str]


@cache
def shapes() -> tuple[ox.Triple, ...]:
    return tuple(load_rdf_dir(ROOT / "shapes"))


@cache
def ontology() -> tuple[ox.Triple, ...]:
    return tuple(load_rdf_dir(ROOT / "ontology"))


def expand(curie: str) -> str:
    if curie.startswith("<") and curie.endswith(">"):
        return curie[1:-1]
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def expected(case: Path) -> set[Key]:
    keys = set()
    for line in case.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            focus, path, component, severity, source = line.removeprefix("# expect: ").split()
            if path == "-":
                path_iri = None
            elif path.startswith("^"):
                path_iri = "^" + expand(path[1:])
            else:
                path_iri = expand(path)
            keys.add(
                (
                    expand(focus),
                    path_iri,
                    f"{SH}{component}ConstraintComponent",
                    severity,
                    RGSH + source,
                )
            )
    return keys


@pytest.fixture(scope="module", autouse=True)
def parse_each_sparql_text_once():
    """pyshacl hands rdflib the same constraint queries for every case, and rdflib parses them
    anew each time (half of each case's time). Here each text is parsed and translated once and
    the prepared query reused, as rdflib's prepareQuery allows; the evaluation is unchanged."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], object] = {}

    def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(str_or_query, str):
            key = (
                str_or_query,
                base,
                tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())),
            )
            if key not in prepared:
                prepared[key] = processor.translateQuery(
                    processor.parseQuery(str_or_query), base, initNs
                )
            str_or_query = prepared[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    yield
    processor.SPARQLProcessor.query = original


@cache
def run_case(case: Path, engine: str = "pyshacl") -> ValidationReport:
    """The report of ``case`` on ``engine``, made once: the parity test reuses it."""
    return validate([q.triple for q in case_store(case)], shapes(), ontology(), engine)


def case_store(case: Path) -> ox.Store:
    """The base graph with ``case``'s update applied."""
    store = ox.Store()
    store.load(path=str(CASES / "base.ttl"), format=ox.RdfFormat.TURTLE)
    update = case.read_text(encoding="utf-8")
    if any(line and not line.startswith("#") for line in update.splitlines()):
        header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        store.update(header + update)
    return store


def actual(report: ValidationReport) -> set[Key]:
    return {
        (
            r.focus,
            r.path,
            SH + r.component,
            r.severity,
            r.constraint
            if r.component == "SPARQLConstraintComponent" and r.constraint
            else r.shape,
        )
        for r in report.results
    }


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case_fires_exactly_its_constraint(case: Path) -> None:
    want = expected(case)
    assert want, f"{case.name} has no '# expect:' line"
    report = run_case(case, "pyshacl")
    assert actual(report) == want
    violation = any(key[3] == "Violation" for key in want)
    assert report.conforms is not violation
    for result in report.results:
        assert {"en", "ja"} <= set(result.messages), result


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid_case_conforms_without_results(case: Path) -> None:
    report = run_case(case, "pyshacl")
    assert report.conforms
    assert report.results == []


def _constraints() -> set[tuple[str, str]]:
    """(shape or SPARQL constraint, component) for every constraint in the shapes."""
    parameters = {
        "minCount": "MinCount",
        "maxCount": "MaxCount",
        "class": "Class",
        "datatype": "Datatype",
        "pattern": "Pattern",
        "languageIn": "LanguageIn",
        "uniqueLang": "UniqueLang",
        "qualifiedMinCount": "QualifiedMinCount",
        "qualifiedMaxCount": "QualifiedMaxCount",
        "minInclusive": "MinInclusive",
        "nodeKind": "NodeKind",
        "in": "In",
    }
    found = set()
    value_shapes = {RGSH + "Japanese", RGSH + "English"}
    for t in shapes():
        name = t.predicate.value.removeprefix(SH)
        if (
            t.predicate.value.startswith(SH)
            and name in parameters
            and t.subject.value not in value_shapes
        ):
            found.add((t.subject.value, parameters[name]))
        if t.predicate.value == SH + "sparql":
            found.add((t.object.value, "SPARQL"))
    return found


def test_every_constraint_has_a_case() -> None:
    covered = {
        (source, component.removeprefix(SH).removesuffix("ConstraintComponent"))
        for case in INVALID
        for (_, _, component, _, source) in expected(case)
    }
    missing = sorted(_constraints() - covered)
    assert missing == []
    assert len(_constraints()) > 140


def test_shapes_pass_shacl_for_shacl() -> None:
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(CASES / "base.ttl")
    shapes_graph = rdflib.Graph().parse(ROOT / "shapes" / "regiongraph.ttl")
    ontology_graph = rdflib.Graph().parse(ROOT / "ontology" / "regiongraph.ttl")
    conforms, _, text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        ont_graph=ontology_graph,
        meta_shacl=True,
        allow_warnings=True,
    )
    assert conforms, text


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_the_shipped_graph_conforms_with_one_warning(built, runner, engine) -> None:
    """The fast engine reads the files streamed into N-Triples: the same report."""
    files = [str(built / "regiongraph.ttl"), str(built / "dataset.ttl")]
    result = runner.invoke(main, ["validate", *files, "--shacl-engine", engine])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "region:2013-international-competitiveness-4  京都科学技術イノベーション創出地域",
        "  Warning   rg:field  No field found in the name, theme or summary; add signal terms to "
        "data/curation/fields.csv if one applies.  [MinCount]",
        "0 violation(s), 1 warning(s), 0 info(s): conforms",
    ]


def test_unusable_shapes_exit_2(tmp_path, runner) -> None:
    import shutil

    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes"):
        shutil.copytree(ROOT / part, project / part)
    shapes_file = project / "shapes" / "regiongraph.ttl"
    shapes_file.write_text(
        shapes_file.read_text(encoding="utf-8").replace(
            "sh:path rg:call ; sh:minCount 1 ;", 'sh:path rg:call ; sh:minCount "one" ;'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", "--project", str(project)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: the shapes cannot be used:")
    shapes_file.write_text("@prefix broken", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--project", str(project)])
    assert result.exit_code == 2
    assert f"Error: {shapes_file}: turtle syntax error" in result.output


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_unreadable_data_file_exits_2(tmp_path, runner, engine) -> None:
    good = tmp_path / "good.nt"
    good.write_text("<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a.example/s> <http://a.example/p> .\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(good), str(bad), "--shacl-engine", engine])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {bad}: turtle syntax error")
    assert "line 1" in result.output
    missing = tmp_path / "missing.nt"
    result = runner.invoke(main, ["validate", str(missing), "--shacl-engine", engine])
    assert result.exit_code == 2
    assert result.output == f"Error: {missing}: file not found\n"


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_a_violation_exits_1_and_reports_by_resource(tmp_path, runner, built, engine) -> None:
    broken = tmp_path / "broken.nt"
    lines = (built / "regiongraph.nt").read_text(encoding="utf-8").splitlines()
    toyama = "<https://example.org/regiongraph/region/2013-research-and-industry-advancement-3>"
    kept = [
        line for line in lines if not (line.startswith(toyama) and "ontology#prefecture>" in line)
    ]
    broken.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = runner.invoke(
        main,
        [
            "validate",
            str(broken),
            str(built / "dataset.ttl"),
            "--lang",
            "ja",
            "--shacl-engine",
            engine,
        ],
    )
    assert result.exit_code == 1
    assert (
        "region:2013-research-and-industry-advancement-3  とやまナノテクコネクト・コアコンピタンスエリア"
        in result.output
    )
    assert (
        "  Violation rg:prefecture  地域は一つ以上の都道府県に結び付く必要がある。" in result.output
    )
    assert result.output.endswith("1 violation(s), 1 warning(s), 0 info(s): does not conform\n")
    as_json = runner.invoke(
        main,
        [
            "validate",
            str(broken),
            str(built / "dataset.ttl"),
            "-f",
            "json",
            "--shacl-engine",
            engine,
        ],
    )
    assert as_json.exit_code == 1
    import json

    report = json.loads(as_json.output)
    assert (report["conforms"], report["violations"], report["warnings"]) == (False, 1, 1)
    as_turtle = runner.invoke(
        main, ["validate", str(broken), str(built / "dataset.ttl"), "-f", "turtle"]
    )
    assert "sh:MinCountConstraintComponent" in as_turtle.output


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_build_refuses_a_non_conforming_graph(tmp_path, runner, engine) -> None:
    """On either engine (the fast one reads the graph back from its staged N-Triples file)."""
    import shutil

    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes"):
        shutil.copytree(ROOT / part, project / part)
    out = tmp_path / "dist"
    assert (
        runner.invoke(main, ["build", "--project", str(project), "--out", str(out)]).exit_code == 0
    )
    before = (out / "regiongraph.ttl").read_bytes()
    # a region whose text names no prefecture, and no curation for it
    source = project / "data" / "source" / "regional-innovation-strategy-regions-fy2013.txt"
    source.write_text(
        source.read_text(encoding="utf-8")
        .replace(
            "富士山麓ファルマバレー戦略推進協議会\t公益財団法人静岡県産業振興財団",
            "富士山麓ファルマバレー戦略推進協議会\t公益財団法人ファルマバレー財団",
        )
        .replace("静岡がんセンター", "がんセンター"),
        encoding="utf-8",
    )
    result = runner.invoke(
        main, ["build", "--project", str(project), "--out", str(out), "--shacl-engine", engine]
    )
    assert result.exit_code == 1
    assert (
        "region:2013-international-competitiveness-3  富士山麓ファルマバレー戦略推進地域"
        in result.output
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "project"]  # no staging left
    assert "Error: the graph does not conform to the shapes; nothing was written" in result.output
    assert (out / "regiongraph.ttl").read_bytes() == before
    # the curation file settles it
    curation = project / "data" / "curation" / "region-prefectures.csv"
    curation.write_text(
        curation.read_text(encoding="utf-8")
        + "2013,1,3,22,add,富士山麓 (the foothills of Mt. Fuji) lies in 静岡県\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["build", "--project", str(project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    # --no-validate writes anyway
    curation.write_text(
        "fiscal_year,category,number,prefecture_code,action,evidence\n", encoding="utf-8"
    )
    result = runner.invoke(
        main, ["build", "--project", str(project), "--out", str(out), "--no-validate"]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", INVALID + VALID, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_fast_engine_gives_pyshacls_results(case: Path) -> None:
    """Parity: the optional fast engine reports exactly what pyshacl reports, case by case, as
    many times (a query that gave a solution per type of its focus node reported it twice)."""

    def keys(report: ValidationReport) -> list[tuple[str, str, str, str, str, str]]:
        return sorted(
            (r.focus, r.path or "", r.component, r.severity, r.shape, r.value or "")
            for r in report.results
        )

    reference, fast = run_case(case, "pyshacl"), run_case(case, "fast")
    assert keys(fast) == keys(reference)
    assert fast.conforms == reference.conforms


def test_fast_and_pyshacl_builds_agree_on_files_and_report(tmp_path) -> None:
    """The fast path streams the graph through files; the outputs and report are the same."""
    from regiongraph.pipeline import build, validate_project
    from regiongraph.project import Project

    project = Project(ROOT)
    for engine in ("pyshacl", "fast"):
        build(project, out=tmp_path / engine, shacl_engine=engine)
    for path in sorted((tmp_path / "pyshacl").iterdir()):
        assert path.read_bytes() == (tmp_path / "fast" / path.name).read_bytes(), path.name
    reports = [validate_project(project, engine=engine) for engine in ("pyshacl", "fast")]
    rows = [
        [(r.focus, r.label, r.path, r.severity, r.component) for r in rep.results]
        for rep in reports
    ]
    assert rows[0] == rows[1]
    assert rows[0] == [
        (
            BASE + "region/2013-international-competitiveness-4",
            "京都科学技術イノベーション創出地域",
            "https://example.org/regiongraph/ontology#field",
            "Warning",
            "MinCountConstraintComponent",
        )
    ]


def test_sparql_constraints_read_only_the_predicates_they_name() -> None:
    """The fast path loads only these predicates for the SPARQL constraints, or all of them."""
    from regiongraph.validation.sparql_constraints import predicates_read, split_shapes

    _, constraints = split_shapes(load_rdf_dir(ROOT / "shapes"))
    rg = "https://example.org/regiongraph/ontology#"
    assert predicates_read(constraints) == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
        *(
            rg + name
            for name in [
                "call",
                "selectionCategory",
                "numberInCategory",
                "prefecture",
                "assignment",
                "assigned",
                "jisCode",
                "localGovernmentCode",
                "corporateNumber",
                "legalForm",
            ]
        ),
        "http://www.w3.org/2000/01/rdf-schema#label",
        *(
            f"http://imi.go.jp/ns/core/rdf#{name}"
            for name in ("ID", "体系", "識別値", "表記", "名称")
        ),
    }
    template = constraints[0]
    x = "<http://x/"

    def read(select: str) -> set[str] | None:
        return predicates_read([replace(template, select=select, prefixes={})])

    paths = read(
        f"SELECT $this WHERE {{ $this ^{x}p>/({x}q>|{x}r>)+ ?z "
        f"FILTER NOT EXISTS {{ ?z {x}s>/{x}t>? ?w }} }}"
    )
    assert paths is not None and {f"http://x/{n}" for n in "pqrst"} <= paths
    for unbounded in (
        "SELECT $this WHERE { $this ?p ?o }",
        f"SELECT $this WHERE {{ $this !{x}p> ?o }}",
        f"SELECT $this WHERE {{ GRAPH ?g {{ $this {x}p> ?o }} }}",
        f"SELECT $this FROM {x}g> WHERE {{ $this {x}p> ?o }}",
        "SELECT $this WHERE { { SELECT $this ?p WHERE { $this ?p ?o } } }",
        "SELECT $this WHERE { $this $PATH ?o }",
        "SELECT this is not SPARQL",
    ):
        assert read(unbounded) is None, unbounded


@pytest.mark.parametrize("case", INVALID + VALID, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_targets_joined_in_give_the_answers_of_pre_binding(case: Path, monkeypatch) -> None:
    """One query for all of a class's focus nodes answers as one query per focus node does."""
    from regiongraph.validation import sparql_constraints as sc

    store = case_store(case)
    store.load(ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES)
    _, constraints = sc.split_shapes(list(shapes()))
    assert [c.constraint.removeprefix(RGSH) for c in constraints if sc.joined_query(c)] == [
        "Organization-id-value",
        "Organization-imi-view",
    ]
    joined = sc.evaluate(store, constraints)
    monkeypatch.setattr(sc, "joined_query", lambda constraint: None)
    one_by_one = sc.evaluate(store, constraints)
    assert sorted(joined, key=repr) == sorted(one_by_one, key=repr)


def ontology_ntriples() -> bytes:
    from regiongraph.rdf.write import to_ntriples

    return to_ntriples(list(ontology()))


def test_only_queries_that_answer_alike_are_joined_with_their_targets() -> None:
    """A group evaluated before the join, aggregates, modifiers, MINUS: kept one by one."""
    from regiongraph.validation.sparql_constraints import joined_query, split_shapes

    _, constraints = split_shapes(list(shapes()))
    template = next(c for c in constraints if c.target_classes)
    x = "<http://x/"

    def joined(select: str) -> str | None:
        return joined_query(replace(template, select=select, prefixes={}))

    projected = joined(f"SELECT ?value WHERE {{ $this {x}p> ?value }}")
    assert projected is not None and projected.startswith("SELECT $this ?value WHERE {")
    assert joined(f"SELECT * WHERE {{ $this {x}p>* ?value OPTIONAL {{ ?value {x}q> ?o }} }}")
    assert joined(f"SELECT $this WHERE {{ $this {x}p> ?v FILTER NOT EXISTS {{ ?v {x}q> $this }} }}")
    for kept in (
        f"SELECT $this WHERE {{ {{ $this {x}p> ?v }} }}",
        f"SELECT $this WHERE {{ ?v {x}p> ?o MINUS {{ $this {x}q> ?o }} }}",
        f"SELECT $this WHERE {{ {{ $this {x}p> ?v }} UNION {{ $this {x}q> ?v }} }}",
        f"SELECT $this WHERE {{ $this {x}p> ?v OPTIONAL {{ ?v {x}q> ?o BIND ($this AS ?t) }} }}",
        f"SELECT $this (COUNT(?v) AS ?n) WHERE {{ $this {x}p> ?v }} GROUP BY $this",
        f"SELECT $this WHERE {{ $this {x}p> ?v }} LIMIT 1",
        f"SELECT $this WHERE {{ {{ SELECT $this WHERE {{ $this {x}p> ?v }} }} }}",
        f"SELECT $this WHERE {{ VALUES ?v {{ 1 }} $this {x}p> ?v }}",
    ):
        assert joined(kept) is None, kept
    assert joined_query(replace(template, target_classes=())) is None


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_a_large_report_is_summarized_and_all_on_request(runner, monkeypatch, engine) -> None:
    """Hundreds of thousands of warnings (a new list) read as one line per kind of result; the
    fast engine then counts them rather than list them, and the summary reads the same."""
    from regiongraph.api import validate as validate_graph
    from regiongraph.validation import report

    monkeypatch.setattr(report, "SUMMARY_ABOVE", 0)
    counted = validate_graph(project=ROOT, shacl_engine=engine, counted_above=0)
    assert (len(counted.results), len(counted.summarized)) == (
        (1, 0) if engine == "pyshacl" else (0, 1)
    )
    summarized = runner.invoke(main, ["validate", "--project", str(ROOT), "--shacl-engine", engine])
    assert summarized.exit_code == 0
    assert summarized.output.splitlines() == [
        "1 results, summarized ('regiongraph validate --all' lists every one; --format json "
        "gives them all):",
        "  Warning   rg:field  No field found in the name, theme or summary; add signal terms to "
        "data/curation/fields.csv if one applies.  [MinCount]  × 1  "
        "e.g. region:2013-international-competitiveness-4",
        "0 violation(s), 1 warning(s), 0 info(s): conforms",
    ]
    every = runner.invoke(
        main, ["validate", "--project", str(ROOT), "--all", "--shacl-engine", engine]
    )
    assert (
        "region:2013-international-competitiveness-4  京都科学技術イノベーション創出地域"
        in every.output
    )


def test_count_focus_nodes_read_from_tsv_are_the_solutions_values() -> None:
    """The focus nodes a count constraint finds, read from the answer's TSV, are the values of
    its solutions: non-ASCII and percent-escaped IRIs as written, blank nodes by their label."""
    from regiongraph.validation.count_constraints import CountConstraint

    store = ox.Store()
    store.load(
        """@prefix x: <http://x/> .
        <http://x/地域/京都> a x:C . <http://x/a%20b> a x:C . [] a x:C .
        x:named a x:C ; x:p "はい" . x:other a x:D .""".encode(),
        format=ox.RdfFormat.TURTLE,
    )
    count = CountConstraint("http://x/S", ("http://x/C",), "http://x/p", 1, None, "Warning", ())
    found = count.focus_nodes(store)
    assert sorted(found) == sorted(s["this"].value for s in store.query(count.query()))
    assert {"http://x/地域/京都", "http://x/a%20b"} < set(found)
    assert len(found) == 3 and "http://x/named" not in found


def test_only_count_only_shapes_are_counted_on_oxigraph() -> None:
    """A shape whose meaning is more than a count of one predicate stays with the engine."""
    from regiongraph.validation.count_constraints import split_counts

    def counted(extra: str) -> list[str]:
        text = f"""
            @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> .
            x:English a sh:NodeShape ; sh:languageIn ( "en" ) .
            x:N a sh:NodeShape ; sh:targetClass x:C ; sh:property x:P .
            x:P a sh:PropertyShape ; sh:path x:p ; sh:minCount 2 .
            x:Q a sh:PropertyShape ; sh:path x:label ;
                sh:qualifiedValueShape x:English ; sh:qualifiedMinCount 1 .
            x:N sh:property x:Q .
            {extra}"""
        triples = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
        return [c.shape.removeprefix("http://x/") for c in split_counts(triples)[1]]

    assert counted("") == ["P", "Q"]
    assert counted("x:P sh:class x:D .") == ["Q"]
    assert counted("x:P sh:maxCount 3 .") == ["Q"]
    assert counted("x:P sh:targetClass x:D .") == ["Q"]
    assert counted("x:P sh:deactivated true .") == ["Q"]
    assert counted("x:English sh:minLength 2 .") == ["P"]
    assert counted("x:M a sh:NodeShape ; sh:node x:N .") == []
    assert counted("x:N sh:targetNode x:a .") == []
    assert counted("x:N a <http://www.w3.org/2000/01/rdf-schema#Class> .") == []
    assert counted("x:O sh:node x:P .") == ["Q"]
    # never fails: left to the engine (its query once found every target without a value)
    assert counted("x:N sh:property x:R . x:R sh:path x:r ; sh:minCount 0 .") == ["P", "Q"]


def test_the_graph_writer_writes_the_subsets_that_validation_reads(tmp_path, monkeypatch) -> None:
    """The graph's writer writes the SPARQL store's triples and the labels in its own pass (the
    lines a split of the written graph gives, but types only of the classes the queries read,
    and labels only of the organizations whose labels they read), and tallies the count
    constraints, whose triples the store then lacks: the focus nodes that their queries find on
    the whole graph. Validation reads them instead of a split, and answers the same."""
    import regiongraph.validation.fast_engine as fast_engine
    from regiongraph.pipeline import GraphChild, validate_graph_file
    from regiongraph.project import Project
    from regiongraph.rdf.write import to_ntriples
    from regiongraph.validation.subsets import Subsets, split_subsets

    (tmp_path / "out").mkdir()
    maker = GraphChild(Project(ROOT), None, tmp_path / "out", scratch=tmp_path)
    graph = maker.graph()
    assert maker.finish() == {}  # no JSON-LD asked for
    assert graph.subsets is not None
    written = graph.subsets.subsets
    assert len(written.tallied) == 15
    assert {c.path for c, _ in written.tallied} >= {RG + "field", "http://purl.org/dc/terms/title"}
    (tmp_path / "split").mkdir()
    split = split_subsets([graph.path], written, tmp_path / "split")
    objects = dict(written.objects)
    assert set(objects) == {f"<{RDF}type>"}
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    organization = "<http://www.w3.org/ns/org#FormalOrganization>"
    restricted = dict(written.subjects)
    assert restricted[label] == {organization}  # the IMI view reads them
    types: dict[str, set[str]] = {}
    for line in graph.path.read_text(encoding="utf-8").splitlines():
        subject, predicate, obj = line.split(" ", 2)
        if predicate == f"<{RDF}type>":
            types.setdefault(subject, set()).add(obj.removesuffix(" ."))

    def wanted(line: str) -> bool:
        subject, predicate, obj = line.split(" ", 2)
        if predicate not in (written.store or ()):  # a split writes the counts' too
            return False
        if predicate in objects and obj.removesuffix(" .") not in objects[predicate]:
            return False
        classes = restricted.get(predicate)
        return classes is None or not types.get(subject, set()).isdisjoint(classes)

    split_store = split.store.read_text(encoding="utf-8").splitlines()
    assert graph.subsets.store.read_text(encoding="utf-8").splitlines() == [
        line for line in split_store if wanted(line)
    ]
    assert len([line for line in split_store if not wanted(line)]) > 50
    every = [
        line
        for line in graph.path.read_text(encoding="utf-8").splitlines(True)
        if f"> {label} " in line
    ]
    assert graph.subsets.labels.read_text(encoding="utf-8") == "".join(every)
    store, labels = (path.read_text(encoding="utf-8") for path in graph.subsets.paths())
    # read by count constraints alone: tallied, not in the store
    assert "<http://purl.org/dc/terms/title>" not in store
    assert f"<{SKOS}prefLabel>" not in store
    assert f"<{RG}field>" not in store
    region = f"<{BASE}region/2013-international-competitiveness-4>"
    # a SPARQL constraint reads the labels of organizations: the store holds theirs alone, and
    # the labels file every label, for the results
    assert f"{region} {label} " not in store
    assert f'{region} {label} "京都科学技術' in labels
    labelled = [line.split(" ")[0] for line in store.splitlines() if f" {label} " in line]
    assert labelled and all(organization in types[subject] for subject in labelled)
    assert f"{region} <{RG}call> " in store
    assert "#sourceText>" not in store  # no SPARQL or count constraint reads it
    assert f"{region} <{RDF}type> <{RG}Region> ." in store
    council = f"<{BASE}council/2013-international-competitiveness-4>"
    assert f"{council} <{RDF}type>" not in store  # only count constraints target councils

    whole = ox.Store()
    whole.load(path=graph.path, format=ox.RdfFormat.N_TRIPLES)
    whole.load(to_ntriples([*graph.description(), *ontology()]), format=ox.RdfFormat.N_TRIPLES)
    tallied = graph.subsets.read_tally()
    assert [(c.path, nodes) for c, nodes in tallied if nodes] == [(RG + "field", [region[1:-1]])]
    for count, nodes in tallied:
        assert sorted(nodes) == sorted(count.focus_nodes(whole)), count.shape

    splits: list[object] = []
    monkeypatch.setattr(
        fast_engine, "split_subsets", lambda *args: splits.append(args) or split_subsets(*args)
    )
    report = validate_graph_file(graph, "fast")
    assert splits == []
    assert [(r.focus, r.label) for r in report.results] == [
        (region[1:-1], "京都科学技術イノベーション創出地域")
    ]
    # subsets written for other shapes are not used: validation splits the graph itself
    other = replace(graph.subsets, subsets=Subsets(frozenset({"<http://x/p>"})))
    again = validate_graph_file(replace(graph, subsets=other), "fast")
    assert len(splits) == 1
    assert again.results == report.results
    # nor is a tally made with another description or ontology
    assert not graph.subsets.answers(written, b"<http://x/a> <http://x/p> <http://x/b> .\n")


@pytest.mark.parametrize("case", INVALID + VALID, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_the_writers_tally_gives_pyshacls_results(case: Path, tmp_path, monkeypatch) -> None:
    """Parity: with the count constraints tallied as the graph is written, and the store of
    the SPARQL constraints written beside it, the fast path reports exactly what pyshacl
    reports, case by case."""
    import regiongraph.validation.fast_engine as fast_engine
    from regiongraph.rdf.write import to_ntriples
    from regiongraph.validation.subsets import Subsets, write_with_subsets

    wanted = Subsets.for_shapes(list(shapes()), list(ontology()))
    assert wanted.tallied
    grouped: dict[str, list[tuple[str, str]]] = {}
    for quad in case_store(case):
        grouped.setdefault(str(quad.subject), []).append((str(quad.predicate), str(quad.object)))
    path = tmp_path / "graph.nt"
    with path.open("wb") as out:
        tail = to_ntriples(list(ontology()))
        written = write_with_subsets(sorted(grouped.items()), out, wanted, tmp_path, tail)
    monkeypatch.setattr(fast_engine, "split_subsets", None)  # not called
    fast = fast_engine.validate_ntriples([path], [], shapes(), ontology(), written)

    def keys(report: ValidationReport) -> list[tuple[str, str, str, str, str, str]]:
        return sorted(
            (r.focus, r.path or "", r.component, r.severity, r.shape, r.value or "")
            for r in report.results
        )

    reference = run_case(case, "pyshacl")
    assert keys(fast) == keys(reference)
    assert fast.conforms == reference.conforms


def _written(triples, shapes_, ontology_, directory: Path):
    """``triples`` written by the graph's writer with the subsets for ``shapes_``: the file,
    and the subsets written (the count constraints tallied, the core shapes checked)."""
    from regiongraph.rdf.write import to_ntriples
    from regiongraph.validation.subsets import Subsets, write_with_subsets

    wanted = Subsets.for_shapes(list(shapes_), list(ontology_))
    grouped: dict[str, list[tuple[str, str]]] = {}
    for t in triples:
        grouped.setdefault(str(t.subject), []).append((str(t.predicate), str(t.object)))
    path = directory / "graph.nt"
    with path.open("wb") as out:
        tail = to_ntriples(list(ontology_))
        written = write_with_subsets(sorted(grouped.items()), out, wanted, directory, tail)
    return path, written


def test_the_writer_checks_the_core_shapes_so_the_engine_reads_nothing(tmp_path, monkeypatch):
    """With this project's shapes, every Core shape is checked by the graph's writer as it
    writes the graph: validation then gives pyshacl's results without the fast engine."""
    import regiongraph.validation.fast_engine as fast_engine

    case = CASES / "invalid" / "council-shared.ru"  # an inverse path, and a class
    triples = [q.triple for q in case_store(case)]
    path, written = _written(triples, shapes(), ontology(), tmp_path)
    assert written.subsets.core is not None
    monkeypatch.setattr(fast_engine, "_engine_report", None)  # not called
    fast = fast_engine.validate_ntriples([path], [], shapes(), ontology(), written)
    reference = run_case(case, "pyshacl")
    assert sorted((r.focus, r.path, r.component, r.value) for r in fast.results) == sorted(
        (r.focus, r.path, r.component, r.value) for r in reference.results
    )
    assert [r.component for r in fast.results] == ["MaxCountConstraintComponent"]


SMALL_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <http://x/> .
x:S a sh:NodeShape ; sh:targetClass x:C ; sh:property x:P .
x:P a sh:PropertyShape ; sh:path x:code ; sh:maxCount 1 ; %s .
"""


@pytest.mark.parametrize(
    "constraint",
    [
        "sh:minLength 2",
        'sh:pattern "^a" ; sh:flags "i"',
        'sh:pattern "^\\\\p{L}+$"',
        'sh:pattern "^[a-z-[aeiou]]+$"',
        "sh:datatype xsd:date",
        "sh:node x:S",
        "sh:equals x:other",
    ],
)
def test_shapes_the_writer_cannot_check_are_left_to_the_engine(constraint, tmp_path) -> None:
    """A shape with anything the writer's checks do not take (another constraint, a pattern
    whose meaning in Python could differ, another datatype) is checked by the fast engine, as
    before."""
    import regiongraph.validation.fast_engine as fast_engine

    shapes_ = [q.triple for q in ox.parse(SMALL_SHAPES % constraint, format=ox.RdfFormat.TURTLE)]
    data = '<http://x/a> a <http://x/C> ; <http://x/code> "AB" .'
    triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
    path, written = _written(triples, shapes_, ontology(), tmp_path)
    assert written.subsets.core is None
    fast = fast_engine.validate_ntriples([path], [], shapes_, ontology(), written)
    engine = fast_engine.validate_ntriples([path], [], shapes_, ontology())
    assert fast.results == engine.results


def test_a_pattern_means_what_it_means_to_the_fast_engine(tmp_path) -> None:
    """ "$" ends the text, not its last line (XPath, and the fast engine; Python's "$" would
    match before a final line break): the writer's check gives the engine's results."""
    import regiongraph.validation.fast_engine as fast_engine

    shapes_ = [
        q.triple
        for q in ox.parse(SMALL_SHAPES % 'sh:pattern "^[0-9]{2}$"', format=ox.RdfFormat.TURTLE)
    ]
    values = ["12", "12\n", "1\uff12", "123", "x12"]
    triples = [
        ox.Triple(
            ox.NamedNode(f"http://x/n{i}"), ox.NamedNode(RDF + "type"), ox.NamedNode("http://x/C")
        )
        for i in range(len(values))
    ] + [
        ox.Triple(ox.NamedNode(f"http://x/n{i}"), ox.NamedNode("http://x/code"), ox.Literal(v))
        for i, v in enumerate(values)
    ]
    path, written = _written(triples, shapes_, ontology(), tmp_path)
    assert written.subsets.core is not None
    checked = fast_engine.validate_ntriples([path], [], shapes_, ontology(), written)
    engine = fast_engine.validate_ntriples([path], [], shapes_, ontology())
    found = sorted((r.focus, r.value) for r in checked.results)
    assert found == sorted((r.focus, r.value) for r in engine.results)
    assert found == [
        ("http://x/n1", "12\n"),
        ("http://x/n2", "1\uff12"),
        ("http://x/n3", "123"),
        ("http://x/n4", "x12"),
    ]


def test_the_report_of_the_writers_checks_is_a_shacl_report(tmp_path) -> None:
    """Without the engine's own report, the Turtle report links each result to the report by
    sh:result, keeps each value's datatype, and writes an inverse path as SHACL does."""
    import regiongraph.validation.fast_engine as fast_engine

    triples: list[ox.Triple] = []
    for name in ("region-number-datatype", "council-orphan"):
        triples += [q.triple for q in case_store(CASES / "invalid" / f"{name}.ru")]
    path, written = _written(list(dict.fromkeys(triples)), shapes(), ontology(), tmp_path)
    report = fast_engine.validate_ntriples([path], [], shapes(), ontology(), written)
    graph = ox.Store()
    graph.load(report.turtle(), format=ox.RdfFormat.TURTLE)

    def ask(query: str) -> list[ox.QuerySolution]:
        return list(graph.query(f"PREFIX sh: <{SH}> {query}"))  # type: ignore[arg-type]

    results = ask("SELECT ?r WHERE { ?report a sh:ValidationReport ; sh:result ?r }")
    assert len(results) == len(report.results) > 1
    values = ask(
        "SELECT ?v WHERE { ?r sh:sourceConstraintComponent sh:DatatypeConstraintComponent ; "
        "sh:value ?v }"
    )
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    assert [s["v"].datatype for s in values] == [decimal]  # type: ignore[union-attr]
    inverse = ask("SELECT ?p WHERE { ?r sh:resultPath [ sh:inversePath ?p ] }")
    assert [s["p"] for s in inverse] == [ox.NamedNode(RG + "council")]


def test_predicates_read_only_about_focus_nodes_are_kept_for_their_targets_instances() -> None:
    """A predicate that every query reads only as ``$this <p> ...``, of constraints with class
    targets alone, is needed in the store only about instances of those classes; read through
    a path, of another subject, or by a constraint with other targets, about every subject."""
    from regiongraph.validation.sparql_constraints import split_shapes, subjects_read

    def read(*constraints: tuple[str, str]) -> dict[str, list[str]]:
        shapes = "".join(
            f"x:N{i} a sh:NodeShape ; {targets} ; sh:sparql [ sh:select "
            f'"""PREFIX x: <http://x/> SELECT $this WHERE {{ {where} }}""" ] .\n'
            for i, (targets, where) in enumerate(constraints)
        )
        text = f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> .\n{shapes}"
        triples = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
        found = subjects_read(split_shapes(triples)[1])
        return {
            p.removeprefix("http://x/"): sorted(c.removeprefix("http://x/") for c in classes)
            for p, classes in found.items()
        }

    c, d = "sh:targetClass x:C", "sh:targetClass x:D"
    both = read((c, "$this x:p ?o FILTER NOT EXISTS { $this x:q ?o }"))
    assert both == {"p": ["C"], "q": ["C"]}
    assert read((c, "$this x:p ?o"), (d, "$this x:p ?o")) == {"p": ["C", "D"]}
    assert read((c, "$this x:p ?o"), (d, "?s x:p ?o")) == {}
    assert read((c, "$this x:p/x:q ?o")) == {}
    assert read((c, "?o x:p $this")) == {}
    assert read(("sh:targetNode x:a", "$this x:p ?o")) == {}
    assert read((c + " ; sh:targetSubjectsOf x:r", "$this x:p ?o")) == {}
    assert read((c, "$this ?p ?o")) == {}
    assert read((c, "$this a x:K")) == {}  # types: as the queries' classes say
    # a sub-select that does not project $this sees it unbound (and one that does, not checked)
    assert read((c, "{ SELECT ?value WHERE { $this x:p ?value } }")) == {}
    assert read((c, "$this x:q ?v"), (d, "{ SELECT ?v WHERE { $this x:p ?v } }")) == {"q": ["C"]}


def test_a_copy_takes_some_predicates_only_about_subjects_of_some_classes() -> None:
    """The graph's writer copies a line of a predicate restricted for a copy only where its
    subject has one of the classes among its types (stated anywhere among its statements), and
    to the other copies always."""
    from regiongraph.rdf.write import text_ntriples, write_text_ntriples

    t, p = f"<{RDF}type>", "<http://x/p>"
    groups = [
        ("<http://x/a>", [(p, '"1"'), (t, "<http://x/C>")]),
        ("<http://x/b>", [(t, "<http://x/D>"), (p, '"2"')]),
        ("<http://x/c>", [(p, '"3"')]),
    ]
    copies = [({p, t}, io.BytesIO()), ({p}, io.BytesIO())]
    out = io.BytesIO()
    write_text_ntriples(groups, out, copies, subjects=[{p: {"<http://x/C>"}}, {}])
    assert out.getvalue() == text_ntriples(groups)
    assert copies[0][1].getvalue().decode().splitlines() == [
        '<http://x/a> <http://x/p> "1" .',
        f"<http://x/a> {t} <http://x/C> .",
        f"<http://x/b> {t} <http://x/D> .",
    ]
    assert copies[1][1].getvalue().decode().count("<http://x/p>") == 3


def test_the_writers_subsets_answer_as_a_split_with_types_stated_in_the_description(
    tmp_path, monkeypatch
) -> None:
    """A subject typed only in the rest of the data (the description), which the store holds
    whole: its triples of a predicate the queries read about focus nodes alone are in the
    store, and its counts tallied, as a split of the graph answers. Subsets written without
    counts to tally are read too (they once were split again)."""
    import regiongraph.validation.fast_engine as fast_engine
    from regiongraph.rdf.write import to_ntriples
    from regiongraph.validation.subsets import Subsets, split_subsets, write_with_subsets

    def parsed(text: str) -> list[ox.Triple]:
        prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> ."
        rdfs = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
        return [
            q.triple
            for q in ox.parse(f"{prefixes} {rdfs} {text}".encode(), format=ox.RdfFormat.TURTLE)
        ]

    select = "SELECT $this ?value WHERE { $this <http://x/p> ?value }"
    sparql = f'x:N a sh:NodeShape ; sh:targetClass x:C ; sh:sparql [ sh:select "{select}" ] .'
    count = "x:N sh:property x:P . x:P a sh:PropertyShape ; sh:path x:q ; sh:minCount 1 ."
    ontology = parsed("x:D rdfs:subClassOf x:C .")
    extra = parsed("x:a a x:C . x:b a x:D .")
    groups = [
        ("<http://x/a>", [("<http://x/p>", '"v"'), ("<http://x/q>", '"w"')]),
        ("<http://x/b>", [("<http://x/p>", '"u"')]),
    ]
    tail = to_ntriples([*extra, *ontology])
    splits: list[object] = []
    monkeypatch.setattr(
        fast_engine, "split_subsets", lambda *args: splits.append(args) or split_subsets(*args)
    )
    for index, shapes in enumerate([parsed(sparql + count), parsed(sparql)]):
        wanted = Subsets.for_shapes(shapes, ontology)
        assert wanted.subjects and bool(wanted.tallied) == (index == 0)
        directory = tmp_path / str(index)
        directory.mkdir()
        path = directory / "graph.nt"
        with path.open("wb") as out:
            written = write_with_subsets(groups, out, wanted, directory, tail)
        assert written.answers(wanted, tail)
        split = fast_engine.validate_ntriples([path], extra, shapes, ontology)
        writers = fast_engine.validate_ntriples([path], extra, shapes, ontology, written)

        def keys(report: ValidationReport) -> list[tuple[str, str, str]]:
            return sorted((r.focus, r.component, r.value or "") for r in report.results)

        expected = [("http://x/a", "SPARQLConstraintComponent", "v")]
        expected += [("http://x/b", "SPARQLConstraintComponent", "u")]
        expected += [("http://x/b", "MinCountConstraintComponent", "")] if index == 0 else []
        assert keys(writers) == keys(split) == sorted(expected)
    assert len(splits) == 2  # the validations without the writer's subsets alone


def test_language_ranges_match_as_on_oxigraph() -> None:
    """The tally's language match is SPARQL's ``isLiteral(?v) && langMatches(lang(?v), r)`` as
    Oxigraph answers it, for tags and ranges of every kind."""
    from regiongraph.validation.count_constraints import language_matches, language_tag

    values = ['"x"@ja', '"x"@ja-jp', '"x"@jax', '"x"@en-us', '"x"', '"1"^^<http://x/d>']
    values += ['"say \\"hi\\""@ja-latn', "<http://x/a>", "_:b"]
    store = ox.Store()
    for r in ["ja", "JA", "*", "", "ja-JP", "ja-", "-", "en-US", "*-jp"]:
        for value in values:
            term = value.replace("_:b", "BNODE()")
            test = f'isLiteral(?v) && langMatches(lang(?v), "{r}")'
            query = f"ASK {{ BIND ({term} AS ?v) FILTER ({test}) }}"
            assert language_matches(language_tag(value), (r.lower(),)) == bool(
                store.query(query)
            ), (r, value)


def test_a_count_constraint_is_tallied_on_its_targets_and_their_subclasses() -> None:
    """Count constraints are tallied on instances of their target classes and subclasses, to
    any depth, the rest of the data joined with the graph; not without the ontology, nor where
    a subclass is a blank node (the store then answers them, and holds their triples)."""
    from regiongraph.rdf.write import text_ntriples, write_text_ntriples
    from regiongraph.validation.count_constraints import CountTally, split_counts
    from regiongraph.validation.sparql_constraints import split_shapes
    from regiongraph.validation.subsets import Subsets

    def parsed(text: str) -> list[ox.Triple]:
        prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> ."
        rdfs = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
        data = f"{prefixes} {rdfs} {text}".encode()
        return [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]

    shapes = parsed(
        "x:N a sh:NodeShape ; sh:targetClass x:C ; sh:property x:P , x:Q . "
        "x:P a sh:PropertyShape ; sh:path x:p ; sh:minCount 1 . "
        "x:Q a sh:PropertyShape ; sh:path x:q ; sh:minCount 2 ."
    )
    ontology = parsed(
        "x:D rdfs:subClassOf x:C . x:E rdfs:subClassOf x:D . x:F rdfs:subClassOf x:G ."
    )
    core, sparql = split_shapes(shapes)
    counts = split_counts(core)[1]
    classes = frozenset({"<http://x/C>", "<http://x/D>", "<http://x/E>"})
    found = Subsets.of(sparql, counts, ontology)
    assert found.tallied == ((counts[0], classes), (counts[1], classes))
    assert found.store is not None and found.store.isdisjoint({"<http://x/p>", "<http://x/q>"})
    assert found.without_tally().store >= {"<http://x/p>", "<http://x/q>"}
    for untallied in (
        Subsets.of(sparql, counts),
        Subsets.of(sparql, counts, parsed("[] rdfs:subClassOf x:C .")),
    ):
        assert untallied.tallied == ()
        assert untallied.store >= {"<http://x/p>", "<http://x/q>"}

    t = f"<{RDF}type>"
    p, q = "<http://x/p>", "<http://x/q>"
    groups = [
        ("<http://x/a>", [(t, "<http://x/E>"), (p, '"1"'), (q, '"1"'), (q, "<http://x/o>")]),
        ("<http://x/b>", [(p, '"2"'), (t, "<http://x/F>")]),
        ("<http://x/c>", [(t, "<http://x/D>"), (q, '"1"'), (q, '"1"@en')]),
        ("<http://x/d>", [(t, "<http://x/C>"), (q, '"1"')]),
    ]
    extra = [("<http://x/d>", [(p, "_:v"), (q, '"2"')]), ("_:e", [(t, "<http://x/C>")])]
    tally = CountTally(found.tallied, extra)
    out = io.BytesIO()
    write_text_ntriples(groups, out, watch=tally)
    assert out.getvalue() == text_ntriples(groups)
    assert [nodes for _, nodes in tally.finish()] == [["http://x/c", "e"], ["e"]]


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_a_summary_lists_the_violations_and_counts_the_rest(case: Path, tmp_path) -> None:
    """What a build asks for (``counted_above=0``): the results of count constraints that are
    not violations counted by constraint, with their first focus nodes; the rest listed."""
    from regiongraph.rdf.write import to_ntriples
    from regiongraph.validation.fast_engine import validate_ntriples

    path = tmp_path / "data.nt"
    path.write_bytes(to_ntriples([q.triple for q in case_store(case)]))
    full = validate_ntriples([path], [], shapes(), ontology())
    brief = validate_ntriples([path], [], shapes(), ontology(), counted_above=0)
    counted = {(g.shape, g.path, g.severity): g for g in brief.summarized}
    assert brief.conforms == full.conforms
    assert brief.total == full.total
    assert brief.results == [
        r for r in full.results if (r.shape, r.path, r.severity) not in counted
    ]
    for (shape, path_, severity), group in counted.items():
        assert severity != "Violation"
        focuses = sorted(
            r.focus
            for r in full.results
            if (r.shape, r.path, r.severity) == (shape, path_, severity)
        )
        assert (group.count, group.examples) == (len(focuses), tuple(focuses[:3]))
        assert {r.component for r in full.results if r.shape == shape} == {group.component}
    for severity in ("Violation", "Warning", "Info"):
        assert brief.count(severity) == full.count(severity)


def test_a_build_counts_its_warnings_and_says_where_to_list_them(tmp_path, runner) -> None:
    """The shipped graph's one warning (a region without a field) is counted, not listed, by a
    build on the fast engine; its report still says what and where."""
    from regiongraph.pipeline import build
    from regiongraph.project import Project
    from regiongraph.validation.report import render_report

    report = build(Project(ROOT), out=tmp_path / "dist", shacl_engine="fast").report
    assert report is not None and report.conforms
    assert report.results == []
    region = BASE + "region/2013-international-competitiveness-4"
    [group] = report.summarized
    assert (group.severity, group.path, group.component, group.count, group.examples) == (
        "Warning",
        "https://example.org/regiongraph/ontology#field",
        "MinCountConstraintComponent",
        1,
        (region,),
    )
    assert report.count("Warning") == report.total == 1
    assert render_report(report, "text", PREFIXES).splitlines() == [
        "1 results, counted and not listed ('regiongraph validate' lists them):",
        "  Warning   rg:field  No field found in the name, theme or summary; add signal terms to "
        "data/curation/fields.csv if one applies.  [MinCount]  × 1  "
        "e.g. region:2013-international-competitiveness-4",
        "0 violation(s), 1 warning(s), 0 info(s): conforms",
    ]
    result = runner.invoke(
        main,
        ["build", "--project", str(ROOT), "--out", str(tmp_path / "cli"), "--shacl-engine", "fast"],
    )
    assert "  validation: conforms (1 warning(s); see 'regiongraph validate')" in result.output


def test_the_sparql_store_is_freed_before_the_results_are_made(monkeypatch) -> None:
    """The fast path's SPARQL store (0.9 GB at 100,000 regions) is gone once the labels are
    read from it, before the results are made (a full list, as `validate --all` makes, is
    large too): no reference to it is left, the finished future's included."""
    import gc

    from regiongraph.api import validate as validate_project
    from regiongraph.validation import fast_engine

    alive: list[int] = []
    made = fast_engine._engine_results

    def counting(*args):  # noqa: ANN002, ANN202
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, ox.Store)))
        return made(*args)

    monkeypatch.setattr(fast_engine, "_engine_results", counting)
    validate_project(project=ROOT, shacl_engine="fast")
    assert alive == [0]


@pytest.mark.parametrize("looked_up", [0, 10_000])
def test_result_labels_read_from_the_store_are_those_of_the_labels_file(
    tmp_path, monkeypatch, looked_up
) -> None:
    """Where the SPARQL store holds the labels, results are labelled from it (node by node, or
    from all labels for many nodes): Japanese first, then English, then any; as from a file."""
    from regiongraph.validation import fast_engine

    monkeypatch.setattr(fast_engine, "_LOOKED_UP", looked_up)
    x = "http://x/"
    text = (
        f'<{x}a> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en .\n'
        f'<{x}a> <http://www.w3.org/2000/01/rdf-schema#label> "エー"@ja .\n'
        f'<{x}b> <http://www.w3.org/2000/01/rdf-schema#label> "B"@en .\n'
        f'<{x}c> <http://www.w3.org/2000/01/rdf-schema#label> "C" .\n'
        f'<{x}d> <http://www.w3.org/2000/01/rdf-schema#label> "D"@en .\n'
        f'_:e <http://www.w3.org/2000/01/rdf-schema#label> "E"@en .\n'
    ).encode()
    path = tmp_path / "labels.nt"
    path.write_bytes(text)
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    focus = {f"{x}a", f"{x}b", f"{x}c", f"{x}z", "_:e", '"a literal"'}
    expected = {f"{x}a": "エー", f"{x}b": "B", f"{x}c": "C"}
    assert fast_engine._store_labels(store, focus) == expected
    assert fast_engine._labels([path], b"", focus) == expected


def test_the_store_holds_the_types_of_the_classes_the_queries_read() -> None:
    """``rdf:type`` triples are needed in the SPARQL store only for the classes named in the
    queries, the targets' classes with their subclasses, and a node-targeted ``$this``; all of
    them where a query reads types through a variable, a path, or ``$this`` as an instance."""
    from regiongraph.validation.sparql_constraints import split_shapes
    from regiongraph.validation.subsets import Subsets

    def kept_types(targets: str, where: str) -> list[str] | None:
        text = f"""
            @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            x:N a sh:NodeShape ; {targets} ; sh:sparql [ sh:select '''
                PREFIX x: <http://x/> SELECT $this WHERE {{ {where} }}''' ] .
            x:Sub rdfs:subClassOf x:C ."""
        triples = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
        objects = dict(Subsets.of(split_shapes(triples)[1], [], triples).objects)
        found = objects.get(f"<{RDF}type>")
        return None if found is None else sorted(c.removeprefix("<http://x/")[:-1] for c in found)

    named = "$this x:p ?o . ?o a x:K . FILTER NOT EXISTS { $this a x:L }"
    assert kept_types("sh:targetClass x:C", named) == ["C", "K", "L", "Sub"]
    assert kept_types("sh:targetNode x:T", "?v a $this ; x:p ?o") == ["T"]
    assert kept_types("sh:targetClass x:C", "?v a $this") is None  # $this an instance
    assert kept_types("sh:targetNode x:T", "$this a ?class") is None
    assert kept_types("sh:targetNode x:T", "$this a/rdfs:subClassOf* x:C") is None
    assert kept_types("sh:targetNode x:T", "$this ?p x:C") is None
    assert kept_types("sh:targetNode 1", "?v a $this") is None  # a literal
    assert kept_types("sh:targetSubjectsOf x:p", "?v a $this") is None  # any node


@pytest.mark.parametrize(
    "targets",
    [
        "x:S a sh:NodeShape ; sh:targetSubjectsOf x:p",
        "x:S a sh:NodeShape ; sh:targetObjectsOf x:r",
        "x:C a sh:NodeShape , rdfs:Class",  # a shape that is a class targets its instances
        "x:C a sh:NodeShape , owl:Class",
        "x:S a sh:NodeShape ; sh:targetClass x:C ; sh:targetSubjectsOf x:p",
        "x:S a sh:NodeShape ; sh:targetClass x:C ; sh:targetNode x:a",  # x:a once
    ],
)
def test_sparql_constraints_on_the_fast_path_take_targets_of_every_kind(targets) -> None:
    """A SPARQL constraint's focus nodes on Oxigraph come from subjects-of, objects-of and
    implicit class targets as well as class and node targets: pyshacl's results, each once
    (the fast path once took class and node targets alone, and found nothing here)."""
    text = f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        {targets} ; sh:sparql [ sh:message "has q" ;
            sh:select "SELECT $this WHERE {{ $this <http://x/q> ?v }}" ] ."""
    shapes = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
    data = [
        q.triple
        for q in ox.parse(
            b"""@prefix x: <http://x/> . x:a x:p "1" ; x:q "2" ; a x:C . x:b x:r x:a .
            x:c a x:C ; x:q 3 . x:d x:q 4 .""",
            format=ox.RdfFormat.TURTLE,
        )
    ]
    found = {}
    for engine in ("pyshacl", "fast"):
        report = validate(data, shapes, [], engine)
        found[engine] = sorted((r.focus, r.component) for r in report.results)
    assert found["fast"] == found["pyshacl"]
    assert ("http://x/a", "SPARQLConstraintComponent") in found["fast"]


REVIEWED_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <http://x/> .
x:A a sh:NodeShape ; sh:targetClass x:C ; sh:property x:P .
x:B a sh:NodeShape ; sh:targetClass x:D ; sh:property x:P .
x:P a sh:PropertyShape ; sh:path x:n ; sh:maxCount 1 ; sh:minInclusive 1 .
"""


def test_the_writers_checks_give_the_engines_results_on_numbers_and_shared_shapes(
    tmp_path,
) -> None:
    """sh:minInclusive compares every XSD number as SPARQL does (an ill-formed or non-numeric
    value fails; NaN fails), and a property shape that two node shapes share is reported once
    per node shape for a node of both, as the engine and pyshacl report it."""
    import regiongraph.validation.fast_engine as fast_engine

    shapes_ = [q.triple for q in ox.parse(REVIEWED_SHAPES, format=ox.RdfFormat.TURTLE)]
    values = {
        "double": '"5.0E0"^^xsd:double',
        "int": '"5"^^xsd:int',
        "nonneg": '"7"^^xsd:nonNegativeInteger',
        "small": '"0.5"^^xsd:decimal',
        "text": '"5"',
        "nan": '"NaN"^^xsd:double',
        "nandec": '"NaN"^^xsd:decimal',
        "inf": '"INF"^^xsd:float',
        "spaced": '" 5"^^xsd:integer',
    }
    data = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + "".join(
        f"<http://x/{name}> a <http://x/C> ; <http://x/n> {value} .\n"
        for name, value in values.items()
    )
    data += "<http://x/both> a <http://x/C>, <http://x/D> ; <http://x/n> 0, 2 .\n"
    triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
    path, written = _written(triples, shapes_, ontology(), tmp_path)
    assert written.subsets.core is not None
    checked = fast_engine.validate_ntriples([path], [], shapes_, ontology(), written)
    engine = fast_engine.validate_ntriples([path], [], shapes_, ontology())

    def keys(report: ValidationReport) -> list[tuple[str, str, str]]:
        return sorted((r.focus, r.component, r.value or "") for r in report.results)

    assert keys(checked) == keys(engine)
    failed = {focus.removeprefix("http://x/") for focus, _, _ in keys(checked)}
    assert failed == {"small", "text", "nan", "nandec", "spaced", "both"}
    both = [k for k in keys(checked) if k[0] == "http://x/both"]
    assert len(both) == 4  # maxCount and 0's minInclusive, once per node shape


@pytest.mark.parametrize("count", ['"x"^^xsd:integer', '"-1"^^xsd:integer', '"1_0"^^xsd:integer'])
def test_counts_the_writer_cannot_read_are_left_to_the_engine(count, tmp_path) -> None:
    """A count that is no count (ill-formed, or negative) is not taken by the writer's checks:
    validation says what is wrong with the shapes, as it did."""
    from regiongraph.errors import DataError
    from regiongraph.validation.core_check import compile_core

    text = SMALL_SHAPES.replace("sh:maxCount 1", f"sh:maxCount {count}") % "sh:minCount 1"
    shapes_ = [q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    assert compile_core(shapes_) is None
    with pytest.raises(DataError, match="shapes cannot be used"):
        validate([], shapes_, [], "fast")
