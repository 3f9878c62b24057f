# the same number in another category is fine
INSERT DATA { category:other a rg:SelectionCategory , skos:Concept ; skos:inScheme <https://example.org/regiongraph/category> ; skos:prefLabel "別区分"@ja , "Other"@en ; skos:definition "説明"@ja . } ;
DELETE DATA { region:2013-research-and-industry-advancement-4 rg:selectionCategory category:research-and-industry-advancement ; rg:numberInCategory 4 } ;
INSERT DATA { region:2013-research-and-industry-advancement-4 rg:selectionCategory category:other ; rg:numberInCategory 3 }
