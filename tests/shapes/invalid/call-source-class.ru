# a call whose source is not an rg:SourceDocument
# expect: call:2013 rg:sourceDocument Class Violation Call-sourceDocument
DELETE DATA { call:2013 rg:sourceDocument source:regional-innovation-strategy-regions-fy2013 } ;
INSERT DATA { call:2013 rg:sourceDocument source:unknown }
