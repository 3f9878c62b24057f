# an overall plan without a summary
# expect: plan:2013-research-and-industry-advancement-3 dcterms:abstract MinCount Violation OverallPlan-abstract
DELETE WHERE { plan:2013-research-and-industry-advancement-3 dcterms:abstract ?t }
