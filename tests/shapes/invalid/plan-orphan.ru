# an overall plan that belongs to no region
# expect: plan:extra ^rg:overallPlan MinCount Violation OverallPlan-inverse-overallPlan
INSERT DATA { plan:extra a rg:OverallPlan ; dcterms:title "別の構想"@ja ; dcterms:abstract "概要"@ja . }
