# an organization with a legal form typed as an unincorporated ic:組織型
# expect: orgn:toyama-new-industry-organization - SPARQL Violation Organization-imi-view
DELETE DATA { orgn:toyama-new-industry-organization a ic:法人型 } ;
INSERT DATA { orgn:toyama-new-industry-organization a ic:組織型 }
