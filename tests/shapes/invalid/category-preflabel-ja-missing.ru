# a category without a Japanese skos:prefLabel
# expect: category:research-and-industry-advancement skos:prefLabel QualifiedMinCount Violation SelectionCategory-prefLabel-ja
DELETE { category:research-and-industry-advancement skos:prefLabel ?l } WHERE { category:research-and-industry-advancement skos:prefLabel ?l FILTER(LANG(?l) = "ja") }
