# a field without an English label
# expect: field:nanotechnology skos:prefLabel QualifiedMinCount Violation Field-prefLabel-en
DELETE { field:nanotechnology skos:prefLabel ?l } WHERE { field:nanotechnology skos:prefLabel ?l FILTER(LANG(?l) = "en") }
