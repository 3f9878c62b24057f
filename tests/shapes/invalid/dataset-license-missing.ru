# a dataset without a licence
# expect: <https://example.org/regiongraph/dataset> dcterms:license MinCount Violation Dataset-license
DELETE WHERE { <https://example.org/regiongraph/dataset> dcterms:license ?l }
