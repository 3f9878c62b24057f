# a legal form without an English label
# expect: legalform:public-interest-incorporated-foundation skos:prefLabel QualifiedMinCount Violation LegalForm-prefLabel-en
DELETE { legalform:public-interest-incorporated-foundation skos:prefLabel ?l } WHERE { legalform:public-interest-incorporated-foundation skos:prefLabel ?l FILTER(LANG(?l) = "en") }
