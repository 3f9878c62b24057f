# a field with two English labels
# expect: field:nanotechnology skos:prefLabel QualifiedMaxCount Violation Field-prefLabel-en
INSERT DATA { field:nanotechnology skos:prefLabel "Nanotech"@en }
