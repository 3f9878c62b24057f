# a call without a Japanese label
# expect: call:2013 rdfs:label QualifiedMinCount Violation Call-label-ja
DELETE WHERE { call:2013 rdfs:label ?l }
