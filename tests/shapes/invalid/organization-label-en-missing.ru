# an organization without an English label (a warning)
# expect: orgn:toyama-new-industry-organization rdfs:label QualifiedMinCount Warning Organization-label-en
DELETE { orgn:toyama-new-industry-organization rdfs:label ?l } WHERE { orgn:toyama-new-industry-organization rdfs:label ?l FILTER(LANG(?l) = "en") }
