# a prefecture without its local government code
# expect: pref:16 rg:localGovernmentCode MinCount Violation Prefecture-localGovernmentCode
DELETE DATA { pref:16 rg:localGovernmentCode "160008" }
