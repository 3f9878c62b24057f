# a prefecture with two Japanese names
# expect: pref:16 rdfs:label QualifiedMaxCount Violation Prefecture-label-ja
INSERT DATA { pref:16 rdfs:label "富山"@ja }
