# a category without an English label (a warning)
# expect: category:research-and-industry-advancement skos:prefLabel QualifiedMinCount Warning SelectionCategory-prefLabel-en
DELETE { category:research-and-industry-advancement skos:prefLabel ?l } WHERE { category:research-and-industry-advancement skos:prefLabel ?l FILTER(LANG(?l) = "en") }
