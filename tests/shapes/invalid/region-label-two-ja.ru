# two Japanese labels on a region
# expect: region:2013-research-and-industry-advancement-3 rdfs:label UniqueLang Violation Region-label-datatype
INSERT DATA { region:2013-research-and-industry-advancement-3 rdfs:label "別名"@ja }
