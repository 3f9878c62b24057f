# a dataset without its triple count
# expect: <https://example.org/regiongraph/dataset> void:triples MinCount Violation Dataset-triples
DELETE WHERE { <https://example.org/regiongraph/dataset> void:triples ?n }
