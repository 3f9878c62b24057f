# a region without its raw source line
# expect: region:2013-research-and-industry-advancement-3 rg:sourceText MinCount Violation Region-text
DELETE WHERE { region:2013-research-and-industry-advancement-3 rg:sourceText ?t }
