# an overall plan with two summaries
# expect: plan:2013-research-and-industry-advancement-3 dcterms:abstract MaxCount Violation OverallPlan-abstract
INSERT DATA { plan:2013-research-and-industry-advancement-3 dcterms:abstract "別の概要"@ja }
