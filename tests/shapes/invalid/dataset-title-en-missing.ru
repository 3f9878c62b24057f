# a dataset without an English title
# expect: <https://example.org/regiongraph/dataset> dcterms:title QualifiedMinCount Violation Dataset-title-en
DELETE { <https://example.org/regiongraph/dataset> dcterms:title ?t } WHERE { <https://example.org/regiongraph/dataset> dcterms:title ?t FILTER(LANG(?t) = "en") }
