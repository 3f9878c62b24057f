# a region in two calls
# expect: region:2013-research-and-industry-advancement-3 rg:call MaxCount Violation Region-call
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:call call:2014 . call:2014 a rg:Call ; rg:fiscalYear 2014 ; rdfs:label "別の公募"@ja ; rg:sourceDocument source:regional-innovation-strategy-regions-fy2013 . }
