# a council without a Japanese name
# expect: council:2013-research-and-industry-advancement-3 rdfs:label QualifiedMinCount Violation Council-label-ja
DELETE { council:2013-research-and-industry-advancement-3 rdfs:label ?l } WHERE { council:2013-research-and-industry-advancement-3 rdfs:label ?l FILTER(LANG(?l) = "ja") }
