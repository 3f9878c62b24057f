"""regiongraph serve, through its app factory (no socket): negotiation, languages, paths, and the
SPARQL 1.1 Protocol with its refusals and limits."""

from __future__ import annotations

import json

import pytest
import rdflib
from conftest import BASE, copy_project
from rdflib.compare import isomorphic

TOYAMA = "region/2013-research-and-industry-advancement-3"
TOYAMA_JA = "とやまナノテクコネクト・コアコンピタンスエリア"
IN_TOYAMA = "SELECT ?region WHERE { ?region rg:prefecture pref:16 } ORDER BY ?region"  # two regions
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from click.testing import CliRunner

    from regiongraph.cli import main

    found = copy_project(tmp_path_factory.mktemp("serve") / "project")
    assert CliRunner().invoke(main, ["build", "--project", str(found)]).exit_code == 0
    return found


@pytest.fixture(scope="module")
def client(project):
    from starlette.testclient import TestClient

    from regiongraph import api
    from regiongraph.serve.queries import Limits

    limits = Limits(timeout=3, max_rows=5, max_body=2000, max_query_string=1000)
    with TestClient(api.server_app(project, limits), base_url="http://127.0.0.1") as found:
        yield found


@pytest.mark.parametrize(
    ("accept", "media_type", "suffix"),
    [
        ("text/turtle", "text/turtle", "ttl"),
        ("application/ld+json", "application/ld+json", "jsonld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html", "html"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json", "jsonld"),
        ("*/*", "text/html", "html"),
        ("", "text/html", "html"),
    ],
)
def test_a_resource_iri_negotiates(client, project, accept, media_type, suffix) -> None:
    response = client.get(f"/{TOYAMA}", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    assert response.headers["content-location"].endswith(f".{suffix}")
    if suffix != "html":  # the same bytes as the published file
        assert response.content == client.get(f"/{TOYAMA}.{suffix}").content
        own = rdflib.Graph()
        built = rdflib.Graph().parse(project / "dist" / "regiongraph.nt")
        for triple in built.triples((rdflib.URIRef(BASE + TOYAMA), None, None)):
            own.add(triple)
        fmt = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[suffix]
        assert isomorphic(rdflib.Graph().parse(data=response.content, format=fmt), own)
    else:
        assert TOYAMA_JA in response.text


def test_the_pages_are_the_published_pages(client, project) -> None:
    from regiongraph import api

    site = api.publish(project, project / "site").out
    for path in (TOYAMA, "prefecture/16", "field/medical-care", "ontology", "dataset"):
        served = client.get(f"/{path}.html", headers={"Accept-Language": "ja"}).text
        assert served == (site / f"{path}.html").read_text(encoding="utf-8").replace(
            '<html lang="ja">', '<html lang="ja" data-language="ja">', 1
        )


def test_format_override_and_what_cannot_be_produced(client) -> None:
    response = client.get(f"/{TOYAMA}?format=nt", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert client.get(f"/{TOYAMA}", headers={"Accept": "image/png"}).status_code == 406
    assert client.get(f"/{TOYAMA}?format=pdf").status_code == 400
    assert client.get("/region/no-such-region").status_code == 404
    assert client.get("/region/no-such-region.ttl").status_code == 404


@pytest.mark.parametrize(
    ("query", "headers", "language"),
    [
        ("?lang=en", {"Accept-Language": "ja"}, "en"),
        ("", {"Accept-Language": "en-GB,en;q=0.9,ja;q=0.5"}, "en"),
        ("", {"Accept-Language": "fr, ja;q=0.1"}, "ja"),
        ("", {}, "ja"),
        ("?lang=xx", {"Accept-Language": "en"}, "en"),
    ],
)
def test_pages_take_their_language_from_lang_then_accept_language(
    client, query, headers, language
) -> None:
    page = client.get(f"/{TOYAMA}{query}", headers=headers).text
    assert f'<html lang="{language}" data-language="{language}">' in page
    assert TOYAMA_JA in page and "Toyama Nanotech Connect Core Competence Area" in page


@pytest.mark.parametrize(
    "path",
    [
        "/assets/%2e%2e/%2e%2e/pyproject.toml",
        "/assets/..%2f..%2fpyproject.toml",
        "/assets/%252e%252e%252fserve%252fapp.py",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/assets/..%5c..%5capp.py",
        "/region/..%2f..%2fdist/regiongraph.nt",
        "/.oxigraph/CURRENT",
        "/context.jsonld",
    ],
)
def test_path_traversal_in_any_encoding_gets_404(client, path) -> None:
    assert client.get(path).status_code == 404


def test_assets_and_dumps(client, project) -> None:
    assert client.get("/assets/site.js").headers["content-type"].startswith("text/javascript")
    dump = client.get("/regiongraph.ttl")
    assert dump.content == (project / "dist" / "regiongraph.ttl").read_bytes()
    import gzip

    gz = client.get("/regiongraph.nt.gz")
    assert gzip.decompress(gz.content) == (project / "dist" / "regiongraph.nt").read_bytes()


# -- SPARQL 1.1 Protocol --------------------------------------------------------------------


def _regions(response) -> list[str]:
    return [b["region"]["value"] for b in response.json()["results"]["bindings"]]


TOYAMA_REGIONS = [
    BASE + "region/2013-international-competitiveness-2",
    BASE + "region/2013-research-and-industry-advancement-3",
]


def test_get_post_form_and_post_query_give_the_same_answer(client) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = client.get("/sparql", params={"query": IN_TOYAMA}, headers=accept)
    by_form = client.post("/sparql", data={"query": IN_TOYAMA}, headers=accept)
    by_body = client.post(
        "/sparql",
        content=IN_TOYAMA.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert response.headers["access-control-allow-origin"] == "*"
        assert _regions(response) == TOYAMA_REGIONS


@pytest.mark.parametrize(
    ("accept", "media_type", "check"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "region\r\n" + TOYAMA_REGIONS[0]),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            f"?region\n<{TOYAMA_REGIONS[0]}>",
        ),
        ("", "application/sparql-results+json", '"bindings"'),
    ],
)
def test_select_results_by_accept(client, accept, media_type, check) -> None:
    response = client.get(
        "/sparql", params={"query": IN_TOYAMA}, headers={"Accept": accept} if accept else {}
    )
    assert response.headers["content-type"].startswith(media_type)
    assert response.text.startswith(check) or check in response.text


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_construct_results_as_rdf(client, accept, fmt) -> None:
    query = f"CONSTRUCT {{ <{BASE}prefecture/16> rdfs:label ?l }} WHERE {{ <{BASE}prefecture/16> rdfs:label ?l }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept)
    labels = set(rdflib.Graph().parse(data=response.text, format=fmt).objects())
    assert labels == {rdflib.Literal("富山県", lang="ja"), rdflib.Literal("Toyama", lang="en")}


def test_ask_and_a_result_format_the_form_cannot_have(client) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?r rg:prefecture pref:16 }"})
    assert ask.json() == {"head": {}, "boolean": True}
    refused = client.get("/sparql", params={"query": IN_TOYAMA}, headers={"Accept": "text/turtle"})
    assert refused.status_code == 406


def test_rows_beyond_the_limit_are_cut_and_said_so(client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a rg:Region }"})
    assert len(response.json()["results"]["bindings"]) == 5  # of 8 regions
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-limit"] == "5"
    whole = client.get("/sparql", params={"query": IN_TOYAMA})
    assert "x-result-truncated" not in whole.headers


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"data": {"update": "DROP ALL"}}, 403),
        ({"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}, 403),
        ({"data": {"query": "INSERT DATA { <a:a> <a:b> <a:c> }"}}, 403),
        ({"data": {"query": "LOAD <http://127.0.0.1:9/x>"}}, 403),
        ({"data": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}}, 403),
        ({"data": {"query": "SELECT ?x WHERE { ?x ?y }"}}, 400),
        ({"data": {"query": "   "}}, 400),
        ({"data": {"nothing": "here"}}, 400),
        ({"data": {"query": IN_TOYAMA, "named-graph-uri": "http://x/"}}, 400),
        ({"content": b"x", "headers": {"Content-Type": "text/plain"}}, 415),
        (
            {
                "content": b"SELECT * {}" + b" " * 3000,
                "headers": {"Content-Type": "application/sparql-query"},
            },
            413,
        ),
        ({"content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ],
)
def test_refused_requests_get_their_status_and_a_reason(client, request_kwargs, status) -> None:
    response = client.post("/sparql", **request_kwargs)
    assert response.status_code == status, response.text
    assert response.text.strip()  # a reason, in words


@pytest.mark.parametrize("update", ["INSERT DATA { <a:a> <a:b> <a:c> }", "CLEAR ALL", "DROP ALL"])
def test_an_update_in_the_query_parameter_is_refused_as_an_update(client, update) -> None:
    response = client.get("/sparql", params={"query": "PREFIX x: <a:>\n" + update})
    assert response.status_code == 403
    assert "read-only" in response.text
    assert client.get("/sparql", params={"query": "ASK { <a:a> ?p ?o }"}).json()["boolean"] is False


def test_an_answer_of_many_frames_arrives_whole(project) -> None:
    """Answers larger than the worker's 64 KiB frames are streamed; smaller ones sent at once."""
    from starlette.testclient import TestClient

    from regiongraph import api
    from regiongraph.serve.queries import Limits

    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    with TestClient(
        api.server_app(project, Limits(timeout=10)), base_url="http://127.0.0.1"
    ) as big:
        response = big.get("/sparql", params={"query": everything, "format": "nt"})
        count = big.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.content) > 4 * (1 << 16)
    graph = rdflib.Graph().parse(data=response.text, format="nt")
    assert len(graph) == int(count.json()["results"]["bindings"][0]["n"]["value"])


def test_a_syntax_error_names_its_line_and_column(client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n  ?x ?y\n}"})
    assert response.status_code == 400
    assert "line 3" in response.text or "line 2" in response.text


def test_a_long_query_string_gets_414(client) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1200
    assert client.get("/sparql", params={"query": query}).status_code == 414
    assert client.post("/sparql", data={"query": query}).status_code == 200  # POST is the way


def test_a_runaway_query_is_stopped_at_the_time_limit(client) -> None:
    import time

    start = time.monotonic()
    response = client.get("/sparql", params={"query": RUNAWAY})
    assert response.status_code == 503 and "stopped" in response.text
    assert time.monotonic() - start < 3 + 2  # the limit, and not the query's hours


def test_cors_preflight(client) -> None:
    response = client.options(
        "/sparql",
        headers={"Origin": "http://example.net", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]


def test_the_service_description_and_the_query_page(client) -> None:
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=described.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef("http://127.0.0.1/sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    page = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert '<form id="sparql"' in page.text and "assets/sparql.js" in page.text
    assert json.loads(client.get("/sparql", params={"query": "ASK {}"}).text)["boolean"] is True
