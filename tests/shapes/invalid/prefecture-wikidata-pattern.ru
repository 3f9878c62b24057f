# a Wikidata link to the wiki page instead of the entity
# expect: pref:16 schema:sameAs Pattern Violation Prefecture-sameAs
DELETE WHERE { pref:16 schema:sameAs ?w } ;
INSERT DATA { pref:16 schema:sameAs <https://www.wikidata.org/wiki/Q132929> }
