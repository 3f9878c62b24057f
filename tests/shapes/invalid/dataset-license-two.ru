# a dataset with two licences
# expect: <https://example.org/regiongraph/dataset> dcterms:license MaxCount Violation Dataset-license
INSERT DATA { <https://example.org/regiongraph/dataset> dcterms:license <https://creativecommons.org/publicdomain/zero/1.0/> }
