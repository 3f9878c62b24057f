# a region whose council is not an rg:Council
# expect: region:2013-research-and-industry-advancement-3 rg:council Class Violation Region-council
DELETE DATA { council:2013-research-and-industry-advancement-3 a rg:Council }
