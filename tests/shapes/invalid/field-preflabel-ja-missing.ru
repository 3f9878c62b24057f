# a field without a Japanese label
# expect: field:nanotechnology skos:prefLabel QualifiedMinCount Violation Field-prefLabel-ja
DELETE { field:nanotechnology skos:prefLabel ?l } WHERE { field:nanotechnology skos:prefLabel ?l FILTER(LANG(?l) = "ja") }
