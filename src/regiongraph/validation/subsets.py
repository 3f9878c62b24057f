"""The parts of a graph that the fast validation path reads apart from the whole.

The SPARQL and count constraints run on an Oxigraph store loaded with only the triples whose
predicates their queries can match, and result labels come from the ``rdfs:label`` triples (read
from that store when it holds them, as it does for the project's shapes).
The graph's writer can write both subsets while it writes the graph (one pass instead of two,
see :func:`~regiongraph.rdf.write.write_text_ntriples`); otherwise :func:`split_subsets` reads
them out of the written files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDFS
from regiongraph.validation.count_constraints import CountConstraint, split_counts
from regiongraph.validation.sparql_constraints import (
    RDF_TYPE,
    SparqlConstraint,
    classes_read,
    predicates_read,
    split_shapes,
)

#: ``rdfs:label`` as it is written in N-Triples.
LABEL = f"<{RDFS}label>"


@dataclass(frozen=True)
class Subsets:
    """Predicates, as N-Triples text, of the two subsets: ``store`` ``None`` means every one.

    ``labels`` is empty where the store holds the labels: validation then reads them there.
    ``kept``: predicates that only count constraints read, each with the classes (as text) of
    their targets and the targets' subclasses: the store needs their triples only about
    instances of those classes (the graph's writer, which knows each subject's types, leaves
    the others out; a split of lines keeps them all, which answers the same).
    ``objects``: likewise, predicates needed only with some objects: ``rdf:type`` with the
    classes that the queries name (:func:`classes_read`) and the targets' classes, with their
    subclasses. The types of other nodes are left out: a tenth of the store on a new list.
    """

    store: frozenset[str] | None
    labels: frozenset[str] = frozenset({LABEL})
    kept: tuple[tuple[str, frozenset[str]], ...] = ()
    objects: tuple[tuple[str, frozenset[str]], ...] = ()

    @classmethod
    def of(
        cls,
        sparql: Sequence[SparqlConstraint],
        counts: Sequence[CountConstraint],
        ontology: Sequence[ox.Triple] = (),
    ) -> Subsets:
        """What the store needs for these constraints (nothing if there are none); with the
        ``ontology``'s subclasses, which triples of count-only predicates it needs."""
        if not sparql and not counts:
            return cls(frozenset())
        read = predicates_read(sparql)
        if read is None:
            return cls(None, frozenset())  # the labels are in the store
        store = frozenset(f"<{p}>" for p in read | {c.path for c in counts})
        labels = frozenset() if LABEL in store else frozenset({LABEL})
        if not ontology:
            return cls(store, labels)
        kept = [(c.path, c.target_classes) for c in counts if c.path not in read]
        classes = classes_read(sparql)
        objects: tuple[tuple[str, frozenset[str]], ...] = ()
        if classes is not None:  # the classes read and the counts' targets
            typed = [*classes, *(c for count in counts for c in count.target_classes)]
            objects = _with_subclasses([(RDF_TYPE, typed)], ontology)
        return cls(store, labels, _with_subclasses(kept, ontology), objects)

    @classmethod
    def for_shapes(cls, shapes: Sequence[ox.Triple], ontology: Sequence[ox.Triple] = ()) -> Subsets:
        """:meth:`of` the SPARQL and count constraints of a shapes graph."""
        core, sparql = split_shapes(shapes)
        return cls.of(sparql, split_counts(core)[1], ontology)

    def without_kept(self) -> Subsets:
        """These subsets with every triple of their predicates."""
        return replace(self, kept=(), objects=())

    def written(self) -> tuple[frozenset[str], frozenset[str]]:
        """The predicates of each subset file, in the order of :class:`SubsetFiles`' paths: none
        for a store of every triple, which is loaded from the graph's own files instead."""
        return self.store if self.store is not None else frozenset(), self.labels


@dataclass(frozen=True)
class SubsetFiles:
    """The two subsets written as N-Triples files, and the :class:`Subsets` they hold."""

    subsets: Subsets
    store: Path
    labels: Path

    @classmethod
    def in_directory(cls, subsets: Subsets, directory: Path) -> SubsetFiles:
        return cls(subsets, directory / "store.nt", directory / "labels.nt")

    def paths(self) -> tuple[Path, Path]:
        return self.store, self.labels

    def open(self, stack: ExitStack) -> list[tuple[frozenset[str], IO[bytes]]]:
        """The files opened for writing (closed with ``stack``), each with its predicates."""
        return [
            (predicates, stack.enter_context(path.open("wb")))
            for predicates, path in zip(self.subsets.written(), self.paths(), strict=True)
        ]


def _with_subclasses(
    wanted: Sequence[tuple[str, Sequence[str]]], ontology: Sequence[ox.Triple]
) -> tuple[tuple[str, frozenset[str]], ...]:
    """Predicates, each with classes, as :attr:`Subsets.kept` (or ``objects``) gives them: the
    classes as text with their subclasses. Labels, which results are labelled with, are left
    out, and so is a predicate with a class that is a blank node."""
    subclasses: dict[str, set[str]] = {}  # a class -> its direct subclasses, as N-Triples
    for t in ontology:
        if t.predicate.value == RDFS + "subClassOf":
            subclasses.setdefault(str(t.object), set()).add(str(t.subject))
    classes: dict[str, set[str]] = {}
    for path, targets in wanted:
        if f"<{path}>" == LABEL:
            continue
        found = classes.setdefault(f"<{path}>", set())
        pending = [f"<{c}>" for c in targets]
        while pending:  # the targets and their subclasses, to any depth
            cls = pending.pop()
            if cls not in found:
                found.add(cls)
                pending += subclasses.get(cls, ())
    # a class that is a blank node could be written otherwise in the data: all its triples kept
    return tuple(
        sorted(
            (path, frozenset(found))
            for path, found in classes.items()
            if not any(c.startswith("_:") for c in found)
        )
    )


def split_subsets(files: Sequence[Path], subsets: Subsets, directory: Path) -> SubsetFiles:
    """One pass over N-Triples ``files``: the subsets, written into ``directory``."""
    from regiongraph.rdf.write import LineRouter

    written = SubsetFiles.in_directory(subsets, directory)
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
                        route = routes[predicate] = router.route(predicate.decode())
                    for add in route:
                        add(line)
                    if count % (1 << 16) == 0:
                        router.flush()
        router.flush()
    return written
