# one assignment used by two regions
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 ^rg:assignment MaxCount Violation PrefectureAssignment-inverse-assignment
INSERT DATA { region:2013-research-and-industry-advancement-4 rg:assignment assignment:2013-research-and-industry-advancement-3-prefecture-16 }
