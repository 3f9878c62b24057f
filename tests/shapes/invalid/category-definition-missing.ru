# a category without a Japanese description (a warning)
# expect: category:research-and-industry-advancement skos:definition QualifiedMinCount Warning SelectionCategory-definition-ja
DELETE { category:research-and-industry-advancement skos:definition ?d } WHERE { category:research-and-industry-advancement skos:definition ?d FILTER(LANG(?d) = "ja") }
