# an organization with two names without legal form
# expect: orgn:toyama-new-industry-organization rg:nameWithoutLegalForm MaxCount Violation Organization-nameWithoutLegalForm
INSERT DATA { orgn:toyama-new-industry-organization rg:nameWithoutLegalForm "新世紀産業機構"@ja }
