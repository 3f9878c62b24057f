"""The parts of a graph that the fast validation path reads apart from the whole.

The SPARQL and count constraints run on an Oxigraph store loaded with only the triples whose
predicates their queries can match, and result labels come from the ``rdfs:label`` triples (read
from that store when it holds them all).
The graph's writer can write both subsets while it writes the graph (one pass instead of two,
:func:`write_with_subsets`), and tally the count constraints as it goes, so that the store
needs none of their triples; otherwise :func:`split_subsets` reads the subsets out of the
written files, and the store answers the count constraints too.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDFS
from regiongraph.rdf.write import TextGroup, to_ntriples
from regiongraph.validation.core_check import CoreTally, compile_core, subclass_closure
from regiongraph.validation.count_constraints import CountConstraint, CountTally, split_counts
from regiongraph.validation.sparql_constraints import (
    RDF_TYPE,
    SparqlConstraint,
    SparqlResult,
    classes_read,
    predicates_read,
    split_shapes,
    subjects_read,
)

#: ``rdfs:label`` as it is written in N-Triples.
LABEL = f"<{RDFS}label>"


@dataclass(frozen=True)
class Subsets:
    """Predicates, as N-Triples text, of the two subsets: ``store`` ``None`` means every one.

    ``labels`` is empty where the store holds the labels: validation then reads them there.
    ``objects``: predicates needed only with some objects: ``rdf:type`` with the classes that
    the queries name (:func:`classes_read`) with their subclasses. The types of other nodes are
    left out: a tenth of the store on a new list.
    ``tallied``: the count constraints that the graph's writer answers as it writes the graph
    (:class:`~regiongraph.validation.count_constraints.CountTally`), each with its target classes
    and their subclasses, as text; the store then holds only what the SPARQL queries read.
    ``counted``: the count constraints' predicates, which the store holds where they are not
    tallied (:meth:`without_tally`).
    ``subjects``: predicates that the queries read only about their focus nodes, each with the
    classes of those and their subclasses (:func:`subjects_read`): the store needs only those
    subjects' triples of them. The labels file then holds every label, for the results.
    ``core``: the rest of the Core shapes (as N-Triples), where the graph's writer checks them
    too (:class:`~regiongraph.validation.core_check.CoreTally`): the fast engine then need not
    read the graph.
    """

    store: frozenset[str] | None
    labels: frozenset[str] = frozenset({LABEL})
    objects: tuple[tuple[str, frozenset[str]], ...] = ()
    tallied: tuple[tuple[CountConstraint, frozenset[str]], ...] = ()
    counted: frozenset[str] = frozenset()
    subjects: tuple[tuple[str, frozenset[str]], ...] = ()
    core: bytes | None = None

    @classmethod
    def of(
        cls,
        sparql: Sequence[SparqlConstraint],
        counts: Sequence[CountConstraint],
        ontology: Sequence[ox.Triple] = (),
        core: Sequence[ox.Triple] = (),
    ) -> Subsets:
        """What the store needs for these constraints (nothing if there are none); with the
        ``ontology``'s subclasses, the count constraints tallied and which types are needed,
        and the ``core`` shapes checked by the writer if it can check them all."""
        checked = _labelled(core) if core and compile_core(core) is not None else None
        if not sparql and not counts:
            return cls(frozenset(), core=checked)
        read = predicates_read(sparql)
        if read is None:
            return cls(None, frozenset(), core=checked)  # the labels are in the store
        queried = frozenset(f"<{p}>" for p in read)
        counted = frozenset(f"<{c.path}>" for c in counts)
        whole = cls(queried | counted, _labels_beside(queried | counted))
        index = _subclass_index(ontology)
        targets = [_with_subclasses(c.target_classes, index) for c in counts]
        if not ontology or None in targets:  # subclasses unknown, or a blank node
            return replace(whole, core=checked)
        classes = classes_read(sparql)
        typed = None if classes is None else _with_subclasses(classes, index)
        objects = () if typed is None else ((f"<{RDF_TYPE}>", typed),)
        tallied = tuple((c, t) for c, t in zip(counts, targets, strict=True) if t is not None)
        subjects = tuple(
            (f"<{p}>", found)
            for p, classes_of in sorted(subjects_read(sparql).items())
            if (found := _with_subclasses(classes_of, index)) is not None
        )
        restricted = {p for p, _ in subjects}
        labels = _labels_beside(queried - restricted)
        return cls(queried, labels, objects, tallied, counted, subjects, checked)

    @classmethod
    def for_shapes(cls, shapes: Sequence[ox.Triple], ontology: Sequence[ox.Triple] = ()) -> Subsets:
        """:meth:`of` the SPARQL and count constraints of a shapes graph."""
        core, sparql = split_shapes(shapes)
        core, counts = split_counts(core)
        return cls.of(sparql, counts, ontology, core)

    def without_tally(self) -> Subsets:
        """These subsets as the store alone answers them: every triple of the queries' and the
        count constraints' predicates."""
        store = None if self.store is None else self.store | self.counted
        labels = frozenset() if store is None else _labels_beside(store)
        return Subsets(store, labels, counted=self.counted)

    def written(self) -> tuple[frozenset[str], frozenset[str]]:
        """The predicates of each subset file, in the order of :class:`SubsetFiles`' paths: none
        for a store of every triple, which is loaded from the graph's own files instead."""
        return self.store if self.store is not None else frozenset(), self.labels


def _labels_beside(store: frozenset[str]) -> frozenset[str]:
    """The labels file's predicates beside a store of these: none if the store has labels."""
    return frozenset() if LABEL in store else frozenset({LABEL})


@dataclass(frozen=True)
class SubsetFiles:
    """The two subsets written as N-Triples files, and the :class:`Subsets` they hold; with
    :attr:`Subsets.tallied`, the focus nodes found (:meth:`write_tally`), and ``tail``: the
    SHA-256 of the rest of the data tallied with the graph (the description and the ontology,
    as N-Triples), which validation must read the same."""

    subsets: Subsets
    store: Path
    labels: Path
    tally: Path
    core: Path
    tail: str = ""

    @classmethod
    def in_directory(cls, subsets: Subsets, directory: Path, tail: bytes = b"") -> SubsetFiles:
        digest = hashlib.sha256(tail).hexdigest()
        return cls(
            subsets,
            directory / "store.nt",
            directory / "labels.nt",
            directory / "tally.tsv",
            directory / "core.pickle",
            digest,
        )

    def paths(self) -> tuple[Path, Path]:
        return self.store, self.labels

    def open(self, stack: ExitStack) -> list[tuple[frozenset[str], IO[bytes]]]:
        """The files opened for writing (closed with ``stack``), each with its predicates."""
        return [
            (predicates, stack.enter_context(path.open("wb")))
            for predicates, path in zip(self.subsets.written(), self.paths(), strict=True)
        ]

    def answers(self, subsets: Subsets, tail: bytes) -> bool:
        """Whether these files hold what validation with ``subsets`` reads, the tally made
        with the same ``tail``."""
        if self.subsets == subsets.without_tally():
            return True
        return self.subsets == subsets and self.tail == hashlib.sha256(tail).hexdigest()

    def write_tally(self, found: Sequence[tuple[CountConstraint, list[str]]]) -> None:
        """The focus nodes of each tallied constraint: a line each, its index and the node."""
        lines = [f"{index}\t{node}\n" for index, (_, nodes) in enumerate(found) for node in nodes]
        self.tally.write_text("".join(lines), encoding="utf-8")

    def read_tally(self) -> list[tuple[CountConstraint, list[str]]]:
        """What :meth:`write_tally` wrote (none if the constraints were not tallied)."""
        if not self.subsets.tallied:
            return []
        found: list[list[str]] = [[] for _ in self.subsets.tallied]
        for line in self.tally.read_text(encoding="utf-8").splitlines():
            index, node = line.split("\t", 1)
            found[int(index)].append(node)
        return [
            (count, nodes) for (count, _), nodes in zip(self.subsets.tallied, found, strict=True)
        ]

    def write_core(self, results: list[SparqlResult]) -> None:
        """The results of the core shapes that the writer checked."""
        self.core.write_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))

    def read_core(self) -> list[SparqlResult] | None:
        """What :meth:`write_core` wrote; ``None`` if the writer did not check the core shapes."""
        if self.subsets.core is None:
            return None
        found: list[SparqlResult] = pickle.loads(self.core.read_bytes())  # written by us, above
        return found


def _subclass_index(ontology: Sequence[ox.Triple]) -> dict[str, set[str]]:
    """Each class of the ontology with its direct subclasses, as N-Triples text."""
    subclasses: dict[str, set[str]] = {}
    for t in ontology:
        if t.predicate.value == RDFS + "subClassOf":
            subclasses.setdefault(str(t.object), set()).add(str(t.subject))
    return subclasses


def _with_subclasses(
    classes: Iterable[str], subclasses: dict[str, set[str]]
) -> frozenset[str] | None:
    """``classes`` with their subclasses to any depth, as text; ``None`` if one is a blank
    node, which could be written otherwise in the data."""
    found = frozenset().union(*(subclass_closure(f"<{c}>", subclasses) for c in classes))
    return None if any(c.startswith("_:") for c in found) else found


def tail_ntriples(extra: Sequence[ox.Triple], ontology: Sequence[ox.Triple]) -> bytes:
    """What validation reads besides the graph's files, as N-Triples: ``extra`` (the dataset's
    description) and the ontology. The writer's tally and restrictions take it in
    (:func:`write_with_subsets`), and validation checks that it read the same
    (:meth:`SubsetFiles.answers`)."""
    return to_ntriples([*extra, *ontology])


def write_with_subsets(
    groups: Iterable[TextGroup], out: IO[bytes], subsets: Subsets, directory: Path, tail: bytes
) -> SubsetFiles:
    """Write a graph's N-Triples into ``out`` and, in the same pass, its ``subsets`` into
    ``directory``, the count constraints tallied; ``tail``: the rest of the data that validation
    reads (the description and the ontology, as N-Triples), tallied with the graph."""
    from regiongraph.rdf.write import write_text_ntriples

    files = SubsetFiles.in_directory(subsets, directory, tail)
    extra = _text_groups(tail)
    checks = None if subsets.core is None else compile_core(_triples(subsets.core))
    core = None if checks is None else CoreTally(checks, extra, subsets.tallied)
    # the counts tallied by the core's tally where there is one, else on their own
    tally = CountTally(subsets.tallied, extra) if subsets.tallied and core is None else None
    types: dict[str, set[str]] = {}  # of the tail's subjects, which the store holds whole
    typed = f"<{RDF_TYPE}>"
    for subject, statements in extra:
        types.setdefault(subject, set()).update(o for p, o in statements if p == typed)
    with ExitStack() as stack:
        copies = files.open(stack)
        restricted = [dict(subsets.subjects), {}]  # the store's copy only: the labels file has all
        write_text_ntriples(
            groups, out, copies, dict(subsets.objects), tally, restricted, types, core
        )
    if tally is not None:
        files.write_tally(tally.finish())
    if core is not None:
        files.write_core(core.finish())
        if subsets.tallied:
            files.write_tally(core.counted())
    return files


def _labelled(triples: Sequence[ox.Triple]) -> bytes:
    """Shapes as N-Triples, their blank nodes named in the order they first appear: the same
    bytes for the same shapes files, whichever parse of them."""
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def named(term: Any) -> Any:
        if not isinstance(term, ox.BlankNode):
            return term
        return names.setdefault(term, ox.BlankNode(f"b{len(names)}"))

    return to_ntriples(
        [ox.Triple(named(t.subject), t.predicate, named(t.object)) for t in triples]  # type: ignore[arg-type]
    )


def _triples(ntriples: bytes) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def _text_groups(ntriples: bytes) -> list[TextGroup]:
    """N-Triples as groups of N-Triples text, one per run of a subject's triples."""
    from regiongraph.rdf.write import group_triples

    parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return [(str(s), [(str(p), str(o)) for p, o in st]) for s, st in group_triples(parsed)]


def split_subsets(files: Sequence[Path], subsets: Subsets, directory: Path) -> SubsetFiles:
    """One pass over N-Triples ``files``: the subsets, written into ``directory``, whole (as
    :meth:`Subsets.without_tally` gives them: a split knows no subject's types)."""
    from regiongraph.rdf.write import LineRouter

    written = SubsetFiles.in_directory(subsets.without_tally(), directory)
    routes: dict[bytes, tuple[Callable[[bytes], None], ...]] = {}  # predicate → where it goes
    with ExitStack() as stack:
        router = LineRouter(written.open(stack))
        for path in files:
            with path.open("rb") as part:
                for count, line in enumerate(part, start=1):
                    start = line.index(b" ") + 1
                    predicate = line[start : line.index(b" ", start)]
                    route = routes.get(predicate)
                    if route is None:
                        route = routes[predicate] = router.route(predicate.decode())[0]
                    for add in route:
                        add(line)
                    if count % (1 << 16) == 0:
                        router.flush()
        router.flush()
    return written
