# a coordinating organization that is not an org:FormalOrganization
# expect: region:2013-research-and-industry-advancement-3 rg:coordinatingOrganization Class Violation Region-coordinator
DELETE DATA { orgn:toyama-new-industry-organization a org:FormalOrganization }
