# a region assignment that is not an rg:Assignment
# expect: region:2013-research-and-industry-advancement-3 rg:assignment Class Violation Region-assignment
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:assignment assignment:unknown }
