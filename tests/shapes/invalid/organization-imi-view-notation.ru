# an IMI name whose notation is not the organization's Japanese name
# expect: orgn:toyama-new-industry-organization - SPARQL Violation Organization-imi-view
DELETE DATA { <https://example.org/regiongraph/organization/toyama-new-industry-organization#name> ic:表記 "公益財団法人富山県新世紀産業機構" } ;
INSERT DATA { <https://example.org/regiongraph/organization/toyama-new-industry-organization#name> ic:表記 "富山県新世紀産業機構" }
