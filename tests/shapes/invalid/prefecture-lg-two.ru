# a prefecture with two local government codes
# expect: pref:16 rg:localGovernmentCode MaxCount Violation Prefecture-localGovernmentCode
# expect: rg:Prefecture - SPARQL Violation Prefecture-check-digit
INSERT DATA { pref:16 rg:localGovernmentCode "160016" }
