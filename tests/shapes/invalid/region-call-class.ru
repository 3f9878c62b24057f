# a region whose call is not an rg:Call
# expect: region:2013-research-and-industry-advancement-3 rg:call Class Violation Region-call
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:call call:2013 } ;
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:call call:unknown }
