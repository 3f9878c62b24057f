# one council resource used by two regions
# expect: council:2013-research-and-industry-advancement-3 ^rg:council MaxCount Violation Council-inverse-council
DELETE WHERE { region:2013-research-and-industry-advancement-4 rg:council ?c . ?c ?p ?o } ;
INSERT DATA { region:2013-research-and-industry-advancement-4 rg:council council:2013-research-and-industry-advancement-3 }
