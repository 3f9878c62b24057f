# a source identifier with a language tag
# expect: source:regional-innovation-strategy-regions-fy2013 dcterms:identifier Datatype Violation SourceDocument-identifier
DELETE WHERE { source:regional-innovation-strategy-regions-fy2013 dcterms:identifier ?i } ;
INSERT DATA { source:regional-innovation-strategy-regions-fy2013 dcterms:identifier "list.txt"@en }
