# a region with two source documents
# expect: region:2013-research-and-industry-advancement-3 rg:sourceDocument MaxCount Violation Region-source
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:sourceDocument source:other . source:other a rg:SourceDocument ; dcterms:title "別の一覧"@ja ; dcterms:identifier "other.txt" . }
