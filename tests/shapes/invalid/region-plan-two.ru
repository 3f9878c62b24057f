# a region with two overall plans
# expect: region:2013-research-and-industry-advancement-3 rg:overallPlan MaxCount Violation Region-plan
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:overallPlan plan:extra . plan:extra a rg:OverallPlan ; dcterms:title "別の構想"@ja ; dcterms:abstract "概要"@ja . }
