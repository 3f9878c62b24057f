# a category with two Japanese skos:prefLabels
# expect: category:research-and-industry-advancement skos:prefLabel QualifiedMaxCount Violation SelectionCategory-prefLabel-ja
INSERT DATA { category:research-and-industry-advancement skos:prefLabel "別名"@ja }
