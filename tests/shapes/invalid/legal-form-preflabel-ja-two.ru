# a legal form with two Japanese labels
# expect: legalform:public-interest-incorporated-foundation skos:prefLabel QualifiedMaxCount Violation LegalForm-prefLabel-ja
INSERT DATA { legalform:public-interest-incorporated-foundation skos:prefLabel "公財"@ja }
