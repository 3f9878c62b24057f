# a council without an English label (a warning)
# expect: council:2013-research-and-industry-advancement-3 rdfs:label QualifiedMinCount Warning Council-label-en
DELETE { council:2013-research-and-industry-advancement-3 rdfs:label ?l } WHERE { council:2013-research-and-industry-advancement-3 rdfs:label ?l FILTER(LANG(?l) = "en") }
