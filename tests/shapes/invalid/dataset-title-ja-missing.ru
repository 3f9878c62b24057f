# a dataset without a Japanese title
# expect: <https://example.org/regiongraph/dataset> dcterms:title QualifiedMinCount Violation Dataset-title-ja
DELETE { <https://example.org/regiongraph/dataset> dcterms:title ?t } WHERE { <https://example.org/regiongraph/dataset> dcterms:title ?t FILTER(LANG(?t) = "ja") }
