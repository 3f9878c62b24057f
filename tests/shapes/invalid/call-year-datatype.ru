# a fiscal year that is not an xsd:gYear
# expect: call:2013 rg:fiscalYear Datatype Violation Call-fiscalYear
DELETE DATA { call:2013 rg:fiscalYear "2013"^^xsd:gYear } ;
INSERT DATA { call:2013 rg:fiscalYear 2013 }
