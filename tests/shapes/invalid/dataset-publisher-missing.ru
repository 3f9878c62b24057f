# a dataset without a publisher
# expect: <https://example.org/regiongraph/dataset> dcterms:publisher MinCount Violation Dataset-publisher
DELETE WHERE { <https://example.org/regiongraph/dataset> dcterms:publisher ?p }
