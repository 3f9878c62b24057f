# a prefecture without its Japanese name
# expect: pref:16 rdfs:label QualifiedMinCount Violation Prefecture-label-ja
DELETE DATA { pref:16 rdfs:label "富山県"@ja }
