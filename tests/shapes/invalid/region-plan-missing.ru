# a region without an overall plan
# expect: region:2013-research-and-industry-advancement-3 rg:overallPlan MinCount Violation Region-plan
DELETE WHERE { region:2013-research-and-industry-advancement-3 rg:overallPlan ?p . ?p ?x ?y }
