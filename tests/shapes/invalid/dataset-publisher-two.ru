# a dataset with two publishers
# expect: <https://example.org/regiongraph/dataset> dcterms:publisher MaxCount Violation Dataset-publisher
INSERT DATA { <https://example.org/regiongraph/dataset> dcterms:publisher <https://example.org/regiongraph/other-publisher> }
