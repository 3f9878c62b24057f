# a name without legal form and without a language tag
# expect: orgn:toyama-new-industry-organization rg:nameWithoutLegalForm Datatype Violation Organization-nameWithoutLegalForm
DELETE WHERE { orgn:toyama-new-industry-organization rg:nameWithoutLegalForm ?n } ;
INSERT DATA { orgn:toyama-new-industry-organization rg:nameWithoutLegalForm "富山県新世紀産業機構" }
