# a region number that is not an xsd:integer
# expect: region:2013-research-and-industry-advancement-3 rg:numberInCategory Datatype Violation Region-number
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:numberInCategory 3 } ;
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:numberInCategory 3.0 }
