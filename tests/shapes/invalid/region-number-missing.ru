# a region without its number
# expect: region:2013-research-and-industry-advancement-3 rg:numberInCategory MinCount Violation Region-number
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:numberInCategory 3 }
