# an organization whose name has no legal form
DELETE DATA { orgn:toyama-new-industry-organization rg:legalForm legalform:public-interest-incorporated-foundation }
