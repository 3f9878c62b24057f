# a corporate number that is not 13 digits
# expect: orgn:toyama-new-industry-organization rg:corporateNumber Pattern Violation Organization-corporateNumber
INSERT DATA { orgn:toyama-new-industry-organization rg:corporateNumber "712010500113" }
