# a local government code that is not a string
# expect: pref:16 rg:localGovernmentCode Datatype Violation Prefecture-localGovernmentCode
DELETE DATA { pref:16 rg:localGovernmentCode "160008" } ;
INSERT DATA { pref:16 rg:localGovernmentCode 160008 }
