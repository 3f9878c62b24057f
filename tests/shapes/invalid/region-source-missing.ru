# a region without its source document
# expect: region:2013-research-and-industry-advancement-3 rg:sourceDocument MinCount Violation Region-source
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:sourceDocument source:regional-innovation-strategy-regions-fy2013 }
