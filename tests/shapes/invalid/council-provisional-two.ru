# a council with two provisional-name flags
# expect: council:2013-research-and-industry-advancement-3 rg:provisionalName MaxCount Violation Council-provisionalName
INSERT DATA { council:2013-research-and-industry-advancement-3 rg:provisionalName true }
