# a call without its source document
# expect: call:2013 rg:sourceDocument MinCount Violation Call-sourceDocument
DELETE DATA { call:2013 rg:sourceDocument source:regional-innovation-strategy-regions-fy2013 }
