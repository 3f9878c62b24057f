# a dataset that names no source
# expect: <https://example.org/regiongraph/dataset> dcterms:source MinCount Violation Dataset-source
DELETE WHERE { <https://example.org/regiongraph/dataset> dcterms:source ?s }
