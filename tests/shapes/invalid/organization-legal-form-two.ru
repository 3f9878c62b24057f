# an organization with two legal forms
# expect: orgn:toyama-new-industry-organization rg:legalForm MaxCount Violation Organization-legalForm
INSERT DATA { orgn:toyama-new-industry-organization rg:legalForm legalform:general-incorporated-foundation }
