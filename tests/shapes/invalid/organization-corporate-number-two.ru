# two corporate numbers (two valid ones: the examples of LINKING.md, section c)
# expect: orgn:toyama-new-industry-organization rg:corporateNumber MaxCount Violation Organization-corporateNumber
INSERT DATA { orgn:toyama-new-industry-organization rg:corporateNumber "7120105001131" , "4000012090001" }
