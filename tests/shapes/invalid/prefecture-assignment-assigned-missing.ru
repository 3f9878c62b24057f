# a prefecture assignment that names no prefecture
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:assigned MinCount Violation PrefectureAssignment-assigned
# expect: rg:Region - SPARQL Violation Region-prefecture-evidence
DELETE DATA { assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:assigned pref:16 }
