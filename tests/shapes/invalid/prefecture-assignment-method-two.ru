# a prefecture assignment with two methods
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:method MaxCount Violation PrefectureAssignment-method
INSERT DATA { assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:method rg:RegionalName }
