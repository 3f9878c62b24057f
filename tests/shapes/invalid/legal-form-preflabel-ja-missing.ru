# a legal form without a Japanese label
# expect: legalform:public-interest-incorporated-foundation skos:prefLabel QualifiedMinCount Violation LegalForm-prefLabel-ja
DELETE { legalform:public-interest-incorporated-foundation skos:prefLabel ?l } WHERE { legalform:public-interest-incorporated-foundation skos:prefLabel ?l FILTER(LANG(?l) = "ja") }
