# a Wikidata link to the wiki page instead of the entity
# expect: pref:16 skos:exactMatch Pattern Violation Prefecture-exactMatch
DELETE WHERE { pref:16 skos:exactMatch ?w } ;
INSERT DATA { pref:16 skos:exactMatch <https://www.wikidata.org/wiki/Q132929> }
