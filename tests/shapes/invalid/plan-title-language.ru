# a theme that is not tagged @ja
# expect: plan:2013-research-and-industry-advancement-3 dcterms:title LanguageIn Violation OverallPlan-title
DELETE WHERE { plan:2013-research-and-industry-advancement-3 dcterms:title ?t } ;
INSERT DATA { plan:2013-research-and-industry-advancement-3 dcterms:title "Toyama Nanotech Connect"@en }
