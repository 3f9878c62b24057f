# a council that does not say whether its name is provisional
# expect: council:2013-research-and-industry-advancement-3 rg:provisionalName MinCount Violation Council-provisionalName
DELETE WHERE { council:2013-research-and-industry-advancement-3 rg:provisionalName ?b }
