# a region with two coordinating organizations
# expect: region:2013-research-and-industry-advancement-3 rg:coordinatingOrganization MaxCount Violation Region-coordinator
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:coordinatingOrganization orgn:tottori-industrial-promotion-organization }
