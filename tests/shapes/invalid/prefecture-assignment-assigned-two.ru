# a prefecture assignment naming two prefectures
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:assigned MaxCount Violation PrefectureAssignment-assigned
INSERT DATA { assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:assigned pref:31 }
