# a Wikidata link written as a string
# expect: pref:16 schema:sameAs NodeKind Violation Prefecture-sameAs
DELETE WHERE { pref:16 schema:sameAs ?w } ;
INSERT DATA { pref:16 schema:sameAs "http://www.wikidata.org/entity/Q132929" }
