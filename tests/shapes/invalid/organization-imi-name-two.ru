# an organization with two IMI names
# expect: orgn:toyama-new-industry-organization ic:名称 MaxCount Violation Organization-imi-name
INSERT DATA {
  orgn:toyama-new-industry-organization ic:名称 <https://example.org/regiongraph/organization/toyama-new-industry-organization#other-name> .
  <https://example.org/regiongraph/organization/toyama-new-industry-organization#other-name> a ic:名称型 ;
      ic:表記 "公益財団法人富山県新世紀産業機構" .
}
