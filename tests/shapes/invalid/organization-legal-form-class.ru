# a legal form that is not an rg:LegalForm
# expect: orgn:toyama-new-industry-organization rg:legalForm Class Violation Organization-legalForm
DELETE DATA { orgn:toyama-new-industry-organization rg:legalForm legalform:public-interest-incorporated-foundation } ;
INSERT DATA { orgn:toyama-new-industry-organization rg:legalForm legalform:unknown }
