# a category whose scheme is not a skos:ConceptScheme
# expect: category:research-and-industry-advancement skos:inScheme Class Violation SelectionCategory-inScheme
DELETE DATA { <https://example.org/regiongraph/category> a skos:ConceptScheme }
