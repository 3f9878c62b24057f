# a fiscal year that is not an xsd:integer (the xsd:gYear of earlier versions: outside OWL 2's datatypes)
# expect: call:2013 rg:fiscalYear Datatype Violation Call-fiscalYear
DELETE DATA { call:2013 rg:fiscalYear 2013 } ;
INSERT DATA { call:2013 rg:fiscalYear "2013"^^xsd:gYear }
