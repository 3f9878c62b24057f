# a region with two councils
# expect: region:2013-research-and-industry-advancement-3 rg:council MaxCount Violation Region-council
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:council council:extra . council:extra a rg:Council ; rdfs:label "別の協議会"@ja , "Another council"@en ; rg:provisionalName false . }
