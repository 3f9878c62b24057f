# a field whose scheme is not a skos:ConceptScheme
# expect: field:nanotechnology skos:inScheme Class Violation Field-inScheme
INSERT DATA { field:nanotechnology skos:inScheme <https://example.org/regiongraph/unknown-scheme> }
