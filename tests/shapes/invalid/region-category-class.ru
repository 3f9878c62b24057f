# a region whose category is not an rg:SelectionCategory
# expect: region:2013-research-and-industry-advancement-3 rg:selectionCategory Class Violation Region-category
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:selectionCategory category:research-and-industry-advancement } ;
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:selectionCategory category:unknown }
