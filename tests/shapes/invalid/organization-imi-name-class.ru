# an IMI name that is not an ic:名称型
# expect: orgn:toyama-new-industry-organization ic:名称 Class Violation Organization-imi-name
DELETE DATA { <https://example.org/regiongraph/organization/toyama-new-industry-organization#name> a ic:名称型 }
