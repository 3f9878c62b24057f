# a summary that is not tagged @ja
# expect: plan:2013-research-and-industry-advancement-3 dcterms:abstract LanguageIn Violation OverallPlan-abstract
DELETE WHERE { plan:2013-research-and-industry-advancement-3 dcterms:abstract ?t } ;
INSERT DATA { plan:2013-research-and-industry-advancement-3 dcterms:abstract "A summary"@en }
