"""Records → RDF: the knowledge graph of regions, prefectures, organizations, plans and fields.

Terms are canonical N-Triples text (:mod:`regiongraph.rdf.text_terms`): the graph is written
as N-Triples before anything else reads it, and text needs no conversion on the way out.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pyoxigraph as ox

from regiongraph.link.curation import Curation, EnglishName, FieldConcept, LegalForm
from regiongraph.link.fields import FieldEvidence, FieldMatcher
from regiongraph.link.organizations import split_name
from regiongraph.link.prefectures import (
    CURATED,
    EXPLICIT,
    REGIONAL,
    Gazetteer,
    PlaceEvidence,
    locate,
)
from regiongraph.link.reference import Prefecture
from regiongraph.rdf.iris import IriRegistry, file_slug, hash_slug
from regiongraph.rdf.namespaces import DCTERMS, IC, ORG, PROV, RDF, RDFS, RG, SCHEMA, SKOS, WD
from regiongraph.rdf.terms import TYPE
from regiongraph.rdf.text_terms import RDF_TYPE, en, iri, ja, ja_or_romaji, literal, typed
from regiongraph.rdf.write import TextGroup
from regiongraph.source.records import Category, RegionRecord, SourceDocument

#: gBizINFO's resource of a corporation (LINKING.md, section c): ``{GBIZINFO}{number}``.
GBIZINFO = "http://hojin-info.go.jp/data/basic/"

METHODS = {EXPLICIT: "ExplicitMention", REGIONAL: "RegionalName", CURATED: "CuratedAssignment"}
#: From this many regions, their links are found ahead by a child process (see build_graph),
#: which sends them this many at a time.
LINKS_AHEAD_FROM, LINKS_CHUNK = 5_000, 2_000


class T:
    """Predicates and classes that every region states, as N-Triples text (made once)."""

    TYPE = RDF_TYPE
    LABEL = iri(RDFS + "label")
    PREF_LABEL = iri(SKOS + "prefLabel")
    TITLE = iri(DCTERMS + "title")
    ABSTRACT = iri(DCTERMS + "abstract")
    OFFICIAL_ENGLISH_NAME = iri(RG + "officialEnglishName")
    ENGLISH_NAME_SOURCE = iri(RG + "englishNameSource")
    TRANSLATED_LABEL = iri(RG + "translatedLabel")
    CURATED_IN = iri(RG + "curatedIn")
    NAME_WITHOUT_LEGAL_FORM = iri(RG + "nameWithoutLegalForm")
    PROVISIONAL_NAME = iri(RG + "provisionalName")
    LEGAL_FORM = iri(RG + "legalForm")
    CALL = iri(RG + "call")
    SELECTION_CATEGORY = iri(RG + "selectionCategory")
    NUMBER_IN_CATEGORY = iri(RG + "numberInCategory")
    COUNCIL = iri(RG + "council")
    COORDINATING_ORGANIZATION = iri(RG + "coordinatingOrganization")
    OVERALL_PLAN = iri(RG + "overallPlan")
    SOURCE_DOCUMENT = iri(RG + "sourceDocument")
    SOURCE_LINE = iri(RG + "sourceLine")
    SOURCE_TEXT = iri(RG + "sourceText")
    IC_NAME = iri(IC + "名称")
    IC_NOTATION = iri(IC + "表記")
    REGION = iri(RG + "Region")
    COUNCIL_CLASS = iri(RG + "Council")
    OVERALL_PLAN_CLASS = iri(RG + "OverallPlan")
    FORMAL_ORGANIZATION = iri(ORG + "FormalOrganization")
    IC_LEGAL_ENTITY = iri(IC + "法人型")
    IC_ORGANIZATION = iri(IC + "組織型")
    IC_NAME_CLASS = iri(IC + "名称型")


@dataclass
class LinkingData:
    """What records are linked with: reference prefectures and the project's curation."""

    prefectures: list[Prefecture]
    curation: Curation

    def __post_init__(self) -> None:
        self.gazetteer = Gazetteer(self.prefectures, self.curation.regional_names)
        self.field_matcher = FieldMatcher(self.curation.fields)


class RegionLinks(NamedTuple):
    """What a region is linked to: its prefectures and its fields, with their evidence."""

    line: int  # the region's line in its source, to check the order
    places: list[PlaceEvidence]
    fields: list[FieldEvidence]


@dataclass
class GraphStats:
    regions: int = 0
    organizations: int = 0
    prefectures_linked: int = 0
    fields_linked: int = 0
    triples: int = 0


@dataclass
class KnowledgeGraph:
    """The built graph: statements grouped by subject, in the order the builder made them.

    The builder states each fact once and each resource's rdf:type first, and its order depends
    only on the input, so output order needs no global sort: subjects sorted (by IRI), then
    their statements as made. Subjects, predicates and objects are N-Triples text.
    """

    base: str
    subjects: dict[str, TextGroup] = field(default_factory=dict)  # by the subject's text
    stats: GraphStats = field(default_factory=GraphStats)
    example_resources: list[str] = field(default_factory=list)
    size: int = 0  # set by the builder's finish()
    vocabulary: set[str] = field(default_factory=set)  # the predicates and classes used (idem)
    _predicates: dict[str, str] = field(default_factory=dict)  # IRI -> its N-Triples text
    _classes: set[str] = field(default_factory=set)  # the objects of rdf:type, as text
    _texts: set[str] = field(default_factory=set)  # the predicates of put(), as text

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """State ``subject predicate obj``: ``subject`` and ``obj`` as N-Triples text, the
        ``predicate`` as its IRI."""
        entry = self.subjects.get(subject)
        if entry is None:
            entry = self.subjects[subject] = (subject, [])
        name = self._predicates.get(predicate)
        if name is None:
            name = self._predicates[predicate] = iri(predicate)
        entry[1].append((name, obj))
        if predicate == TYPE:
            self._classes.add(obj)

    def put(self, subject: str, statements: list[tuple[str, str]]) -> None:
        """State ``statements`` of ``subject`` at once, as :meth:`add` would one by one, but
        with each predicate as N-Triples text (:data:`T`): a new subject's many statements are
        most of a graph, and a call for each costs a fifth of the graph's making."""
        entry = self.subjects.get(subject)
        if entry is None:
            self.subjects[subject] = (subject, statements)
        else:
            entry[1].extend(statements)
        self._texts.update([p for p, _ in statements])
        self._classes.update([o for p, o in statements if p == RDF_TYPE])

    def count(self) -> None:
        """Set ``size`` and ``vocabulary`` from the statements made."""
        self.size = sum([len(entry[1]) for entry in self.subjects.values()])
        self.vocabulary = set(self._predicates) | {c[1:-1] for c in self._classes}
        self.vocabulary |= {p[1:-1] for p in self._texts}

    def subject_order(self) -> list[str]:
        """The subjects (as text) in output order: by IRI."""
        return sorted(self.subjects, key=_IRI_OF)

    def groups(self, subjects: Iterable[str] | None = None) -> Iterator[TextGroup]:
        """Each subject with its statements: subjects in IRI order (or those of ``subjects``,
        in their order), statements as made."""
        subjects_ = self.subjects
        for key in self.subject_order() if subjects is None else subjects:
            yield subjects_[key]

    def ordered_triples(self) -> list[ox.Triple]:
        """Every triple, in output order, as Oxigraph terms."""
        from regiongraph.rdf.write import text_ntriples

        parsed = ox.parse(text_ntriples(self.groups()), format=ox.RdfFormat.N_TRIPLES)
        return [quad.triple for quad in parsed]


#: A subject's IRI (its text without the angle brackets), for sorting: itemgetter runs in C.
_IRI_OF = operator.itemgetter(slice(1, -1))


class GraphBuilder:
    """Adds documents' records to a :class:`KnowledgeGraph`."""

    def __init__(self, base: str, linking: LinkingData) -> None:
        self.base = base
        self.linking = linking
        # each region's links, in order (see build_graph); else found as each region is added
        self.links: Iterator[RegionLinks] | None = None
        self.graph = KnowledgeGraph(base)
        self.registry = IriRegistry()
        self._organizations: set[str] = set()
        self._corporate_scheme = False
        self._categories: set[str] = set()
        self._prefectures_used: set[str] = set()
        self._fields_used: set[str] = set()
        curation = linking.curation
        self.english_names_file = iri(f"{base}curation/english-names")
        self._curation_files = {
            key: iri(f"{base}curation/{file_slug(curation.path(key).stem)}")
            for key in (
                "categories",
                "legal_forms",
                "fields",
                "regional_names",
                "region_prefectures",
            )
        }
        if curation.corporate_numbers:  # written by 'link corporate-numbers'; none until then
            self._curation_files["corporate_numbers"] = iri(
                f"{base}curation/{file_slug(curation.path('corporate_numbers').stem)}"
            )

    # -- small helpers -------------------------------------------------------------------------

    def _label(self, name_ja: str, name_en: EnglishName | None) -> list[tuple[str, str]]:
        """The Japanese name, and the English one said to be the body's own or our translation."""
        statements = [(T.LABEL, ja(name_ja))]
        if name_en:
            label = en(name_en.label)
            statements.append((T.LABEL, label))
            if name_en.official:
                statements.append((T.OFFICIAL_ENGLISH_NAME, label))
                statements.append((T.ENGLISH_NAME_SOURCE, iri(name_en.source or "")))
            else:
                statements.append((T.TRANSLATED_LABEL, label))
            statements.append((T.CURATED_IN, self.english_names_file))
        return statements

    # -- vocabularies ----------------------------------------------------------------------------

    def add_vocabularies(self) -> None:
        """Prefectures, fields, legal forms and curation files: the fixed part of the graph."""
        reference = iri(f"{self.base}reference/prefectures")
        self.graph.add(reference, RDF + "type", iri(PROV + "Entity"))
        self.graph.add(reference, DCTERMS + "identifier", literal("data/reference/prefectures.csv"))
        self.graph.add(
            reference, RDFS + "label", en("Verified reference table of the 47 prefectures")
        )
        for prefecture in self.linking.prefectures:
            self._prefecture(prefecture)
        self._field_scheme(self.linking.curation.fields)
        self._legal_form_scheme(self.linking.curation.legal_forms)
        curation = self.linking.curation
        for key, node in (
            *self._curation_files.items(),
            ("english_names", self.english_names_file),
        ):
            self.graph.add(node, RDF + "type", iri(RG + "CurationFile"))
            self.graph.add(
                node, DCTERMS + "identifier", literal(f"data/curation/{curation.path(key).name}")
            )
            self.graph.add(
                node, RDFS + "label", en(f"regiongraph curation: {curation.path(key).name}")
            )

    def _prefecture(self, p: Prefecture) -> None:
        node = iri(f"{self.base}prefecture/{p.code}")
        g = self.graph
        g.add(node, RDF + "type", iri(RG + "Prefecture"))
        g.add(node, RDFS + "label", ja(p.name_ja))
        g.add(node, RDFS + "label", en(p.name_en))
        g.add(node, RG + "nameKana", literal(p.name_kana, "ja-Hira"))
        g.add(node, RG + "jisCode", literal(p.code))
        g.add(node, RG + "localGovernmentCode", literal(p.lg_code))
        g.add(node, RG + "iso3166_2", literal(p.iso3166_2))
        g.add(node, RG + "regionOfJapan", ja(p.region_ja))
        g.add(node, SCHEMA + "sameAs", iri(WD + p.wikidata))
        g.add(node, IC + "都道府県コード", iri(p.estat_sac_uri))
        g.add(node, PROV + "wasDerivedFrom", iri(f"{self.base}reference/prefectures"))

    def _scheme(self, node: str, label_ja: str, label_en: str) -> None:
        self.graph.add(node, RDF + "type", iri(SKOS + "ConceptScheme"))
        self.graph.add(node, SKOS + "prefLabel", ja(label_ja))
        self.graph.add(node, SKOS + "prefLabel", en(label_en))
        self.graph.add(node, DCTERMS + "title", ja(label_ja))  # what DCAT-AP reads
        self.graph.add(node, DCTERMS + "title", en(label_en))

    def _concept(
        self,
        node: str,
        cls: str,
        scheme: str,
        label_ja: str,
        label_en: str | None,
        curated_in: str | None,
        top: bool = True,
    ) -> None:
        """A SKOS concept of ``scheme``, typed ``cls`` too, labelled with prefLabel and label."""
        g = self.graph
        g.add(node, RDF + "type", iri(cls))
        g.add(node, RDF + "type", iri(SKOS + "Concept"))
        g.add(node, SKOS + "inScheme", scheme)
        if top:
            g.add(node, SKOS + "topConceptOf", scheme)
            g.add(scheme, SKOS + "hasTopConcept", node)
        for label in (ja(label_ja), *((en(label_en),) if label_en else ())):
            g.add(node, SKOS + "prefLabel", label)
            g.add(node, RDFS + "label", label)
        if curated_in is not None:
            g.add(node, RG + "curatedIn", curated_in)

    def _field_scheme(self, fields: Sequence[FieldConcept]) -> None:
        g = self.graph
        scheme = iri(f"{self.base}field")
        self._scheme(scheme, "技術・産業分野", "Technology and industry fields")
        g.add(scheme, RG + "curatedIn", self._curation_files["fields"])
        for f in fields:
            node = iri(f"{self.base}field/{f.slug}")
            curated_in = self._curation_files["fields"]
            self._concept(
                node, RG + "Field", scheme, f.label_ja, f.label_en, curated_in, not f.broader
            )
            for term in f.terms:
                g.add(node, RG + "signalTerm", ja(term))
            if f.broader:
                broader = iri(f"{self.base}field/{f.broader}")
                g.add(node, SKOS + "broader", broader)
                g.add(broader, SKOS + "narrower", node)

    def _legal_form_scheme(self, forms: Sequence[LegalForm]) -> None:
        scheme = iri(f"{self.base}legal-form")
        self._scheme(scheme, "法人格", "Legal forms")
        for form in forms:
            node = iri(f"{self.base}legal-form/{form.slug}")
            curated_in = self._curation_files["legal_forms"]
            self._concept(node, RG + "LegalForm", scheme, form.form_ja, form.label_en, curated_in)
            for alias in form.aliases:
                self.graph.add(node, SKOS + "altLabel", ja(alias))

    # -- documents -------------------------------------------------------------------------------

    def add_document(self, document: SourceDocument) -> None:
        """The document, its call, its categories and every region in it."""
        g = self.graph
        source = iri(
            self.registry.claim(
                f"{self.base}source/{file_slug(document.source.rsplit('.', 1)[0])}", document.source
            )
        )
        g.add(source, RDF + "type", iri(RG + "SourceDocument"))
        g.add(source, DCTERMS + "title", ja(document.title))
        g.add(source, DCTERMS + "identifier", literal(document.source))
        g.add(source, DCTERMS + "format", literal("text/plain"))
        g.add(source, RDFS + "label", ja(document.title))
        if document.attachment:
            g.add(
                source,
                DCTERMS + "bibliographicCitation",
                ja(f"{document.title}（{document.attachment}）"),
            )

        call = iri(self.registry.claim(f"{self.base}call/{document.fiscal_year}", document.source))
        g.add(call, RDF + "type", iri(RG + "Call"))
        g.add(call, RDFS + "label", ja(document.title))
        g.add(call, RG + "fiscalYear", typed(document.fiscal_year, "integer"))
        g.add(call, RG + "fiscalYearLabel", ja(document.fiscal_year_label))
        g.add(call, RG + "sourceDocument", source)

        for category in document.categories:
            self._category(category)
        for record in document.regions:
            self._region(record, source, call)

    def _category_slug(self, category: Category) -> str:
        curated = self.linking.curation.categories.get(category.name)
        return curated.slug if curated else hash_slug("c", category.name)

    def _category(self, category: Category) -> None:
        slug = self._category_slug(category)
        node = iri(self.registry.claim(f"{self.base}category/{slug}", f"category {category.name}"))
        g = self.graph
        scheme = iri(f"{self.base}category")
        if slug in self._categories:
            return
        if not self._categories:
            self._scheme(scheme, "選定区分", "Selection categories")
        self._categories.add(slug)
        curated = self.linking.curation.categories.get(category.name)
        self._concept(
            node,
            RG + "SelectionCategory",
            scheme,
            category.name,
            curated.label_en if curated else None,
            self._curation_files["categories"] if curated else None,
        )
        if category.description:
            g.add(node, SKOS + "definition", ja(category.description))
        if curated and curated.description_en:
            g.add(node, SKOS + "definition", en(curated.description_en))

    def _named_body(
        self, statements: list[tuple[str, str]], kind: str, name: str
    ) -> LegalForm | None:
        """Add the labels and name parts of an organization or council to ``statements``; its
        legal form, if any."""
        curation = self.linking.curation
        parts = split_name(name, curation.legal_forms)
        statements += self._label(name, curation.english(kind, name))
        statements.append((T.PREF_LABEL, ja(name)))
        statements.append((T.NAME_WITHOUT_LEGAL_FORM, ja(parts.base_name)))
        statements.append((T.PROVISIONAL_NAME, typed(parts.provisional, "boolean")))
        if parts.legal_form:
            legal_form = iri(f"{self.base}legal-form/{parts.legal_form.slug}")
            statements.append((T.LEGAL_FORM, legal_form))
        return parts.legal_form

    def _organization(self, name: str) -> str:
        slug = self.linking.curation.organization_slugs.get(name) or hash_slug("o", name)
        node = iri(self.registry.claim(f"{self.base}organization/{slug}", f"organization {name}"))
        if name not in self._organizations:
            self._organizations.add(name)
            statements = [(T.TYPE, T.FORMAL_ORGANIZATION)]
            legal_form = self._named_body(statements, "organization", name)
            # The IMI view, as IMI tools write it: an ic:法人型 when the name carries a legal
            # form (else an ic:組織型), its 名称 an ic:名称型 whose 表記 is the name.
            title = iri(f"{node[1:-1]}#name")
            kind = T.IC_LEGAL_ENTITY if legal_form else T.IC_ORGANIZATION
            self.graph.put(node, [*statements, (T.TYPE, kind), (T.IC_NAME, title)])
            self.graph.put(title, [(T.TYPE, T.IC_NAME_CLASS), (T.IC_NOTATION, literal(name))])
            self._corporate_number(node, name)
        return node

    def _corporate_number(self, node: str, name: str) -> None:
        """The organization's 法人番号, when matched in the NTA's data: as a plain property, as
        an IMI identifier (ic:ID with 体系 法人番号 and 識別値), and linked to gBizINFO."""
        found = self.linking.curation.corporate_numbers.get(name)
        if found is None:
            return
        g = self.graph
        number = found.number
        g.add(node, RG + "corporateNumber", literal(number))
        scheme = iri(f"{self.base}id-scheme/corporate-number")
        identifier = iri(f"{self.base}corporate-number/{number}")
        g.add(node, IC + "ID", identifier)
        g.add(node, RDFS + "seeAlso", iri(f"{GBIZINFO}{number}"))
        g.add(identifier, RDF + "type", iri(IC + "ID型"))
        g.add(identifier, RDFS + "label", ja(f"法人番号 {number}"))
        g.add(identifier, IC + "体系", scheme)
        g.add(identifier, IC + "識別値", literal(number))
        g.add(identifier, RG + "matchedName", ja(found.matched_name))
        g.add(identifier, RG + "matchedAddress", ja(found.address))
        g.add(
            identifier, RG + "matchSource", literal(f"{found.source_file}, row {found.source_row}")
        )
        g.add(identifier, RG + "matchMethod", literal(found.method))
        g.add(identifier, RG + "curatedIn", self._curation_files["corporate_numbers"])
        if not self._corporate_scheme:
            self._corporate_scheme = True
            g.add(scheme, RDF + "type", iri(IC + "ID体系型"))
            g.add(scheme, IC + "表記", literal("法人番号"))
            g.add(scheme, RDFS + "label", ja("法人番号"))
            g.add(scheme, RDFS + "label", en("Corporate number (National Tax Agency)"))
            g.add(scheme, RDFS + "seeAlso", iri("http://www.houjin-bangou.nta.go.jp/download/"))

    def _region(self, record: RegionRecord, source: str, call: str) -> None:
        g = self.graph
        curation = self.linking.curation
        key = f"{record.fiscal_year}-{self._category_slug(record.category)}-{record.number}"
        where = f"{record.provenance.source}:{record.provenance.line}"
        region = iri(self.registry.claim(f"{self.base}region/{key}", f"region at {where}"))
        council = iri(self.registry.claim(f"{self.base}council/{key}", f"council at {where}"))
        plan = iri(self.registry.claim(f"{self.base}plan/{key}", f"plan at {where}"))

        category = iri(f"{self.base}category/{self._category_slug(record.category)}")
        g.put(
            region,
            [
                (T.TYPE, T.REGION),
                *self._label(record.region_name, curation.english("region", record.region_name)),
                (T.CALL, call),
                (T.SELECTION_CATEGORY, category),
                (T.NUMBER_IN_CATEGORY, typed(record.number, "integer")),
                (T.COUNCIL, council),
                (
                    T.COORDINATING_ORGANIZATION,
                    self._organization(record.coordinating_organization),
                ),
                (T.OVERALL_PLAN, plan),
                (T.SOURCE_DOCUMENT, source),
                (T.SOURCE_LINE, typed(record.provenance.line, "integer")),
                (T.SOURCE_TEXT, literal(record.provenance.raw_line)),
            ],
        )
        statements = [(T.TYPE, T.COUNCIL_CLASS)]
        self._named_body(statements, "council", record.council)
        statements.append((T.SOURCE_DOCUMENT, source))
        g.put(council, statements)
        theme = ja(record.theme)
        g.put(
            plan,
            [
                (T.TYPE, T.OVERALL_PLAN_CLASS),
                (T.LABEL, theme),
                (T.TITLE, theme),
                (T.ABSTRACT, ja(record.summary)),
                (T.SOURCE_DOCUMENT, source),
            ],
        )

        links = self.find_links(record) if self.links is None else next(self.links)
        if links.line != record.provenance.line:
            raise RuntimeError(f"links of line {links.line} given for line {where}")
        self._prefecture_links(links.places, region, key, source)
        self._field_links(links.fields, region, key, source)
        g.stats.regions += 1
        if len(g.example_resources) < 3:
            g.example_resources.append(region[1:-1])

    def find_links(self, record: RegionRecord) -> RegionLinks:
        """The region's prefectures and fields (a pure function of the record)."""
        linking = self.linking
        return RegionLinks(
            record.provenance.line,
            locate(record, linking.gazetteer, linking.curation),
            linking.field_matcher.match(record),
        )

    def _prefecture_links(
        self, places: list[PlaceEvidence], region: str, key: str, source: str
    ) -> None:
        """The region's prefectures, each through an assignment node with its evidence."""
        g = self.graph
        for place in places:
            code = place.prefecture.code
            self._prefectures_used.add(code)
            assignment = self._assignment(
                region,
                "prefecture",
                f"prefecture/{code}",
                f"{key}-prefecture-{code}",
                METHODS[place.method],
            )
            g.add(
                assignment,
                RG + "evidence",
                literal(place.evidence)
                if place.method == CURATED
                else ja_or_romaji(place.evidence),
            )
            if place.note:
                g.add(assignment, RDFS + "comment", literal(place.note))
            if place.cell:
                g.add(assignment, RG + "evidenceCell", ja(place.cell))
            origin = (
                self._curation_files["region_prefectures"] if place.method == CURATED else source
            )
            g.add(assignment, PROV + "wasDerivedFrom", origin)
            if place.method == REGIONAL:
                g.add(assignment, RG + "curatedIn", self._curation_files["regional_names"])

    def _field_links(self, fields: list[FieldEvidence], region: str, key: str, source: str) -> None:
        """The region's fields, each through an assignment node with the terms found."""
        g = self.graph
        for found in fields:
            slug = found.field.slug
            self._fields_used.add(slug)
            assignment = self._assignment(
                region, "field", f"field/{slug}", f"{key}-field-{slug}", "TermMatch"
            )
            for term in found.terms:
                g.add(assignment, RG + "evidence", ja(term))
            for cell in found.cells:
                g.add(assignment, RG + "evidenceCell", ja(cell))
            g.add(assignment, PROV + "wasDerivedFrom", source)
            g.add(assignment, RG + "curatedIn", self._curation_files["fields"])

    def _assignment(self, region: str, link: str, target: str, name: str, method: str) -> str:
        """Link ``region`` to ``target`` by ``rg:{link}``, qualified by an assignment node."""
        g = self.graph
        node, assigned = iri(f"{self.base}assignment/{name}"), iri(self.base + target)
        kind = "PrefectureAssignment" if link == "prefecture" else "FieldAssignment"
        g.add(region, RG + link, assigned)
        g.add(region, RG + "assignment", node)
        g.add(node, RDF + "type", iri(RG + kind))
        g.add(node, RG + "assigned", assigned)
        g.add(node, RG + "method", iri(RG + method))
        return node

    def finish(self) -> KnowledgeGraph:
        stats = self.graph.stats
        stats.organizations = len(self._organizations)
        stats.prefectures_linked = len(self._prefectures_used)
        stats.fields_linked = len(self._fields_used)
        self.graph.count()
        stats.triples = self.graph.size
        return self.graph


def build_graph(
    documents: Iterable[SourceDocument], base: str, linking: LinkingData
) -> KnowledgeGraph:
    """Build the knowledge graph of ``documents``.

    From :data:`LINKS_AHEAD_FROM` regions, their links (prefectures and fields: a third of the
    work) are found by a child process ahead of the builder, which reads them in order.
    """
    from regiongraph.isolate import mapped_ahead

    documents = list(documents)
    records = [record for document in documents for record in document.regions]
    builder = GraphBuilder(base, linking)
    ahead = len(records) >= LINKS_AHEAD_FROM
    links = mapped_ahead(builder.find_links, records, LINKS_CHUNK) if ahead else None
    builder.links = links
    try:
        builder.add_vocabularies()
        for document in documents:
            builder.add_document(document)
        for _ in links or ():  # none left: this ends the child
            raise RuntimeError("more links found than regions")
    finally:
        if links is not None:
            links.close()  # after an error: the child stops
    return builder.finish()
