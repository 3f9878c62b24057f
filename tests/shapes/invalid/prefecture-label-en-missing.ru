# a prefecture without its English name
# expect: pref:16 rdfs:label QualifiedMinCount Violation Prefecture-label-en
DELETE DATA { pref:16 rdfs:label "Toyama"@en }
