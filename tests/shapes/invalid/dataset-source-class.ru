# a dataset source that is not an rg:SourceDocument
# expect: <https://example.org/regiongraph/dataset> prov:wasDerivedFrom Class Violation Dataset-source
INSERT DATA { <https://example.org/regiongraph/dataset> prov:wasDerivedFrom source:unknown }
