# a council that belongs to no region
# expect: council:extra ^rg:council MinCount Violation Council-inverse-council
INSERT DATA { council:extra a rg:Council ; rdfs:label "別の協議会"@ja , "Another council"@en ; rg:provisionalName false . }
