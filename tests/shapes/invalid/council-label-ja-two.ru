# a council with two Japanese names
# expect: council:2013-research-and-industry-advancement-3 rdfs:label QualifiedMaxCount Violation Council-label-ja
INSERT DATA { council:2013-research-and-industry-advancement-3 rdfs:label "別名協議会"@ja }
