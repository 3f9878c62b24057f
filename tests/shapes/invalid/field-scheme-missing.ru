# a field in no concept scheme
# expect: field:nanotechnology skos:inScheme MinCount Violation Field-inScheme
DELETE WHERE { field:nanotechnology skos:inScheme ?s }
