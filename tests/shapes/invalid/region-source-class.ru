# a region whose source is not an rg:SourceDocument
# expect: region:2013-research-and-industry-advancement-3 rg:sourceDocument Class Violation Region-source
DELETE DATA { region:2013-research-and-industry-advancement-3 rg:sourceDocument source:regional-innovation-strategy-regions-fy2013 } ;
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:sourceDocument source:unknown }
