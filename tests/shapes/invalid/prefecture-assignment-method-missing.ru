# a prefecture assignment without a method
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:method MinCount Violation PrefectureAssignment-method
DELETE WHERE { assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:method ?m }
