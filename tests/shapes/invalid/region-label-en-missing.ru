# a region without an English label (a warning)
# expect: region:2013-research-and-industry-advancement-3 rdfs:label QualifiedMinCount Warning Region-label-en
DELETE { region:2013-research-and-industry-advancement-3 rdfs:label ?l } WHERE { region:2013-research-and-industry-advancement-3 rdfs:label ?l FILTER(LANG(?l) = "en") }
