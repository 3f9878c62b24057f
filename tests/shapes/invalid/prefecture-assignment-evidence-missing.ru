# a prefecture assignment without evidence
# expect: assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:evidence MinCount Violation PrefectureAssignment-evidence
DELETE WHERE { assignment:2013-research-and-industry-advancement-3-prefecture-16 rg:evidence ?e }
