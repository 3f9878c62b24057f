# a dataset that names no source
# expect: <https://example.org/regiongraph/dataset> prov:wasDerivedFrom MinCount Violation Dataset-source
DELETE WHERE { <https://example.org/regiongraph/dataset> prov:wasDerivedFrom ?s }
