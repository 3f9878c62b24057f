# a licence given as a string
# expect: <https://example.org/regiongraph/dataset> dcterms:license NodeKind Violation Dataset-license
DELETE WHERE { <https://example.org/regiongraph/dataset> dcterms:license ?l } ;
INSERT DATA { <https://example.org/regiongraph/dataset> dcterms:license "CC BY 4.0" }
