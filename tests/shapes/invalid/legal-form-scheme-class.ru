# a legal form whose scheme is not a skos:ConceptScheme
# expect: legalform:public-interest-incorporated-foundation skos:inScheme Class Violation LegalForm-inScheme
INSERT DATA { legalform:public-interest-incorporated-foundation skos:inScheme <https://example.org/regiongraph/unknown-scheme> }
