# a prefecture assignment made by term match
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:method In Violation PrefectureAssignment-method
DELETE WHERE { assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:method ?m } ;
INSERT DATA { assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:method rg:TermMatch }
