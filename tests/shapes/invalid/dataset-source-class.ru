# a dataset source that is not an rg:SourceDocument
# expect: <https://example.org/regiongraph/dataset> dcterms:source Class Violation Dataset-source
INSERT DATA { <https://example.org/regiongraph/dataset> dcterms:source source:unknown }
