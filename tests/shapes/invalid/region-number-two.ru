# a region with two numbers
# expect: region:2013-research-and-industry-advancement-3 rg:numberInCategory MaxCount Violation Region-number
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:numberInCategory 30 }
