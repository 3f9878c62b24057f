# an IMI identifier whose 識別値 is not the organization's corporate number
# expect: orgn:toyama-new-industry-organization - SPARQL Violation Organization-id-value
INSERT DATA {
  orgn:toyama-new-industry-organization rg:corporateNumber "7120105001131" ;
      ic:ID <https://example.org/regiongraph/corporate-number/4000012090001> .
  <https://example.org/regiongraph/corporate-number/4000012090001> a ic:ID型 ;
      ic:体系 <https://example.org/regiongraph/id-scheme/corporate-number> ; ic:識別値 "4000012090001" .
  <https://example.org/regiongraph/id-scheme/corporate-number> a ic:ID体系型 ; ic:表記 "法人番号" .
}
