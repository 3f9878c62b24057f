# two regions with the same call, category and number
# expect: rg:Region - SPARQL Violation Region-unique-number
DELETE DATA { region:2013-research-and-industry-advancement-4 rg:numberInCategory 4 } ;
INSERT DATA { region:2013-research-and-industry-advancement-4 rg:numberInCategory 3 }
