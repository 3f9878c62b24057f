# a region without a prefecture
# expect: region:2013-research-and-industry-advancement-3 rg:prefecture MinCount Violation Region-prefecture
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:prefecture pref:16 }
