# a council whose name is provisional
DELETE WHERE { council:2013-research-and-industry-advancement-3 rg:provisionalName ?b } ;
INSERT DATA { council:2013-research-and-industry-advancement-3 rg:provisionalName true }
