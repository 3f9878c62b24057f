# a legal form in no concept scheme
# expect: legalform:public-interest-incorporated-foundation skos:inScheme MinCount Violation LegalForm-inScheme
DELETE WHERE { legalform:public-interest-incorporated-foundation skos:inScheme ?s }
