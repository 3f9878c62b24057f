# a region linked to something that is not an rg:Prefecture
# expect: region:2013-research-and-industry-advancement-3 rg:prefecture Class Violation Region-prefecture
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:assigned Class Violation PrefectureAssignment-assigned
DELETE DATA { pref:16 a rg:Prefecture }
