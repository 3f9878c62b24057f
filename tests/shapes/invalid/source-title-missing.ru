# a source document without a Japanese title
# expect: source:regional-innovation-strategy-regions-fy2013 dcterms:title QualifiedMinCount Violation SourceDocument-title-ja
DELETE WHERE { source:regional-innovation-strategy-regions-fy2013 dcterms:title ?t }
