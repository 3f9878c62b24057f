# a field with two Japanese labels
# expect: field:nanotechnology skos:prefLabel QualifiedMaxCount Violation Field-prefLabel-ja
INSERT DATA { field:nanotechnology skos:prefLabel "ナノテク"@ja }
