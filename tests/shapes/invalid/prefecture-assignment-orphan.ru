# an assignment that belongs to no region
# expect: assignment:extra ^rg:assignment MinCount Violation PrefectureAssignment-inverse-assignment
INSERT DATA { assignment:extra a rg:PrefectureAssignment ; rg:assigned pref:16 ; rg:method rg:ExplicitMention ; rg:evidence "富山"@ja . }
