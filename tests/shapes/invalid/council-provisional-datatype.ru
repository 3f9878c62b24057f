# a provisional-name flag that is not an xsd:boolean
# expect: council:2013-research-and-industry-advancement-3 rg:provisionalName Datatype Violation Council-provisionalName
DELETE WHERE { council:2013-research-and-industry-advancement-3 rg:provisionalName ?b } ;
INSERT DATA { council:2013-research-and-industry-advancement-3 rg:provisionalName "false" }
