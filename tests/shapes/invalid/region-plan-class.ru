# an overall plan that is not an rg:OverallPlan
# expect: region:2013-research-and-industry-advancement-3 rg:overallPlan Class Violation Region-plan
DELETE DATA { plan:2013-research-and-industry-advancement-3 a rg:OverallPlan }
