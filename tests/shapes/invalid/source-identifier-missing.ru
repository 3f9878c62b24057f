# a source document without an identifier
# expect: source:regional-innovation-strategy-regions-fy2013 dcterms:identifier MinCount Violation SourceDocument-identifier
DELETE WHERE { source:regional-innovation-strategy-regions-fy2013 dcterms:identifier ?i }
