# a region without a call
# expect: region:2013-research-and-industry-advancement-3 rg:call MinCount Violation Region-call
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:call call:2013 }
