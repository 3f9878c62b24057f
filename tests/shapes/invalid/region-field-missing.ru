# a region with no field (a warning)
# expect: region:2013-research-and-industry-advancement-3 rg:field MinCount Warning Region-field-count
DELETE WHERE { region:2013-research-and-industry-advancement-3 rg:field ?f }
