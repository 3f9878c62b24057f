# the gBizINFO example number of LINKING.md (section c), 7120105001131, with its check digit changed to 8
# expect: org:FormalOrganization - SPARQL Violation Organization-check-digit
INSERT DATA { orgn:toyama-new-industry-organization rg:corporateNumber "8120105001131" }
