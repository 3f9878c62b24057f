# a region without a coordinating organization
# expect: region:2013-research-and-industry-advancement-3 rg:coordinatingOrganization MinCount Violation Region-coordinator
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:coordinatingOrganization orgn:toyama-new-industry-organization }
