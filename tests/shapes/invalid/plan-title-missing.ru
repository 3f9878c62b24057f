# an overall plan without a theme
# expect: plan:2013-research-and-industry-advancement-3 dcterms:title MinCount Violation OverallPlan-title
DELETE WHERE { plan:2013-research-and-industry-advancement-3 dcterms:title ?t }
