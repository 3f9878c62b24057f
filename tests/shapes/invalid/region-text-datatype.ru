# a raw source line with a language tag
# expect: region:2013-research-and-industry-advancement-3 rg:sourceText Datatype Violation Region-text
DELETE { region:2013-research-and-industry-advancement-3 rg:sourceText ?t } INSERT { region:2013-research-and-industry-advancement-3 rg:sourceText ?tagged } WHERE { region:2013-research-and-industry-advancement-3 rg:sourceText ?t BIND(STRLANG(?t, "ja") AS ?tagged) }
