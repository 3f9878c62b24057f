# a region without its source line
# expect: region:2013-research-and-industry-advancement-3 rg:sourceLine MinCount Violation Region-line
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:sourceLine 24 }
