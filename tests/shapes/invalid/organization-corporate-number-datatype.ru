# a corporate number written as a language-tagged string
# expect: orgn:toyama-new-industry-organization rg:corporateNumber Datatype Violation Organization-corporateNumber
INSERT DATA { orgn:toyama-new-industry-organization rg:corporateNumber "7120105001131"@ja }
