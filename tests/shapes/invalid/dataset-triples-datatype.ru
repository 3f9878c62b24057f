# a triple count given as a string
# expect: <https://example.org/regiongraph/dataset> void:triples Datatype Violation Dataset-triples
DELETE WHERE { <https://example.org/regiongraph/dataset> void:triples ?n } ;
INSERT DATA { <https://example.org/regiongraph/dataset> void:triples "1510" }
