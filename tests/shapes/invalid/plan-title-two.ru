# an overall plan with two themes
# expect: plan:2013-research-and-industry-advancement-3 dcterms:title MaxCount Violation OverallPlan-title
INSERT DATA { plan:2013-research-and-industry-advancement-3 dcterms:title "別のテーマ"@ja }
