# an organization with two Japanese names
# expect: orgn:toyama-new-industry-organization rdfs:label QualifiedMaxCount Violation Organization-label-ja
INSERT DATA { orgn:toyama-new-industry-organization rdfs:label "富山県新世紀産業機構"@ja }
