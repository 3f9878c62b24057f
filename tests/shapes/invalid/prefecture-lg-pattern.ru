# a local government code of five digits
# expect: pref:16 rg:localGovernmentCode Pattern Violation Prefecture-localGovernmentCode
DELETE DATA { pref:16 rg:localGovernmentCode "160008" } ;
INSERT DATA { pref:16 rg:localGovernmentCode "16000" }
