# a region in two selection categories
# expect: region:2013-research-and-industry-advancement-3 rg:selectionCategory MaxCount Violation Region-category
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:selectionCategory category:other . category:other a rg:SelectionCategory , skos:Concept ; skos:inScheme <https://example.org/regiongraph/category> ; skos:prefLabel "別区分"@ja , "Other"@en ; skos:definition "説明"@ja . }
