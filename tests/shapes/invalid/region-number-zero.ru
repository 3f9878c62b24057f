# a region numbered 0
# expect: region:2013-research-and-industry-advancement-3 rg:numberInCategory MinInclusive Violation Region-number
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:numberInCategory 3 } ;
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:numberInCategory 0 }
