# an organization without a Japanese name
# expect: orgn:toyama-new-industry-organization rdfs:label QualifiedMinCount Violation Organization-label-ja
DELETE { orgn:toyama-new-industry-organization rdfs:label ?l } WHERE { orgn:toyama-new-industry-organization rdfs:label ?l FILTER(LANG(?l) = "ja") }
