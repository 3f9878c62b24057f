# a prefecture with two English names
# expect: pref:16 rdfs:label QualifiedMaxCount Violation Prefecture-label-en
INSERT DATA { pref:16 rdfs:label "Toyama Prefecture"@en }
