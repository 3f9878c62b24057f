# one overall plan used by two regions
# expect: plan:2013-research-and-industry-advancement-3 ^rg:overallPlan MaxCount Violation OverallPlan-inverse-overallPlan
DELETE WHERE { region:2013-research-and-industry-advancement-4 rg:overallPlan ?p . ?p ?x ?y } ;
INSERT DATA { region:2013-research-and-industry-advancement-4 rg:overallPlan plan:2013-research-and-industry-advancement-3 }
