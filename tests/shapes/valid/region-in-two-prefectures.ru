# a region in two prefectures, each with its evidence
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:prefecture pref:31 ; rg:assignment assignment:extra . assignment:extra a rg:PrefectureAssignment ; rg:assigned pref:31 ; rg:method rg:CuratedAssignment ; rg:evidence "curated" }
