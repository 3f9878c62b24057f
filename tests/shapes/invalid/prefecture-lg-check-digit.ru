# a local government code with a wrong check digit
# expect: rg:Prefecture - SPARQL Violation Prefecture-check-digit
DELETE DATA { pref:16 rg:localGovernmentCode "160008" } ;
INSERT DATA { pref:16 rg:localGovernmentCode "160009" }
