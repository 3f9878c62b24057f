# an assignment owned by something that is not a region
# expect: assignment:extra ^rg:assignment Class Violation PrefectureAssignment-inverse-assignment
INSERT DATA { assignment:extra a rg:PrefectureAssignment ; rg:assigned pref:16 ; rg:method rg:ExplicitMention ; rg:evidence "富山"@ja . <https://example.org/regiongraph/other> rg:assignment assignment:extra }
