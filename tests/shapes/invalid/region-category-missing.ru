# a region without a selection category
# expect: region:2013-research-and-industry-advancement-3 rg:selectionCategory MinCount Violation Region-category
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:selectionCategory category:research-and-industry-advancement }
