# an organization without its name without legal form
# expect: orgn:toyama-new-industry-organization rg:nameWithoutLegalForm MinCount Violation Organization-nameWithoutLegalForm
DELETE WHERE { orgn:toyama-new-industry-organization rg:nameWithoutLegalForm ?n }
