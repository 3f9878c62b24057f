# an IMI identifier that is not an ic:ID型
# expect: orgn:toyama-new-industry-organization ic:ID Class Violation Organization-id
# expect: orgn:toyama-new-industry-organization - SPARQL Violation Organization-id-value
INSERT DATA { orgn:toyama-new-industry-organization ic:ID <https://example.org/regiongraph/corporate-number/7120105001131> }
