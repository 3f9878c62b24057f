# a source line that is not an xsd:integer
# expect: region:2013-research-and-industry-advancement-3 rg:sourceLine Datatype Violation Region-line
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:sourceLine 24 } ;
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:sourceLine 24.0 }
