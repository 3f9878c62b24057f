# a dataset without attribution
# expect: <https://example.org/regiongraph/dataset> dcterms:rights MinCount Violation Dataset-rights
DELETE WHERE { <https://example.org/regiongraph/dataset> dcterms:rights ?r }
