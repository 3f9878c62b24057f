# two IMI identifiers for one organization
# expect: orgn:toyama-new-industry-organization ic:ID MaxCount Violation Organization-id
INSERT DATA {
  orgn:toyama-new-industry-organization rg:corporateNumber "7120105001131" ;
      ic:ID <https://example.org/regiongraph/corporate-number/7120105001131> ,
            <https://example.org/regiongraph/corporate-number/7120105001131-again> .
  <https://example.org/regiongraph/corporate-number/7120105001131> a ic:ID型 ;
      ic:体系 <https://example.org/regiongraph/id-scheme/corporate-number> ; ic:識別値 "7120105001131" .
  <https://example.org/regiongraph/corporate-number/7120105001131-again> a ic:ID型 ;
      ic:体系 <https://example.org/regiongraph/id-scheme/corporate-number> ; ic:識別値 "7120105001131" .
  <https://example.org/regiongraph/id-scheme/corporate-number> a ic:ID体系型 ; ic:表記 "法人番号" .
}
