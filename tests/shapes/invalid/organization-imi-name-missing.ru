# an organization without its IMI name
# expect: orgn:toyama-new-industry-organization ic:名称 MinCount Violation Organization-imi-name
# expect: orgn:toyama-new-industry-organization - SPARQL Violation Organization-imi-view
DELETE DATA { orgn:toyama-new-industry-organization ic:名称 <https://example.org/regiongraph/organization/toyama-new-industry-organization#name> }
