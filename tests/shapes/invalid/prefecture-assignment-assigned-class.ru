# a prefecture assignment naming something that is not a prefecture
# expect: assignment:extra rg:assigned Class Violation PrefectureAssignment-assigned
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:assignment assignment:extra . assignment:extra a rg:PrefectureAssignment ; rg:assigned field:nanotechnology ; rg:method rg:ExplicitMention ; rg:evidence "ナノテク"@ja }
