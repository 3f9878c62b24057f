# a source document with two identifiers
# expect: source:regional-innovation-strategy-regions-fy2013 dcterms:identifier MaxCount Violation SourceDocument-identifier
INSERT DATA { source:regional-innovation-strategy-regions-fy2013 dcterms:identifier "copy.txt" }
