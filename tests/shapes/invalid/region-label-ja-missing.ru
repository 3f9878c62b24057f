# a region without its Japanese name
# expect: region:2013-research-and-industry-advancement-3 rdfs:label QualifiedMinCount Violation Region-label-ja
DELETE DATA { region:2013-research-and-industry-advancement-3 rdfs:label "とやまナノテクコネクト・コアコンピタンスエリア"@ja }
