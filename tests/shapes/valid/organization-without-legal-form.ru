# an organization whose name has no legal form: the builder types it ic:組織型, not ic:法人型
DELETE DATA {
  orgn:toyama-new-industry-organization rg:legalForm legalform:public-interest-incorporated-foundation ;
      a <http://imi.go.jp/ns/core/rdf#法人型> .
} ;
INSERT DATA { orgn:toyama-new-industry-organization a <http://imi.go.jp/ns/core/rdf#組織型> }
