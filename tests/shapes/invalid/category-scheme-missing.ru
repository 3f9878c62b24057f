# a category in no concept scheme
# expect: category:research-and-industry-advancement skos:inScheme MinCount Violation SelectionCategory-inScheme
DELETE WHERE { category:research-and-industry-advancement skos:inScheme ?s }
