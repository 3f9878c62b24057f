# a dataset with two triple counts
# expect: <https://example.org/regiongraph/dataset> void:triples MaxCount Violation Dataset-triples
INSERT DATA { <https://example.org/regiongraph/dataset> void:triples 1 }
