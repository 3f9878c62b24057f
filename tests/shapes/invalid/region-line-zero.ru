# a source line 0
# expect: region:2013-research-and-industry-advancement-3 rg:sourceLine MinInclusive Violation Region-line
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:sourceLine 24 } ;
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:sourceLine 0 }
