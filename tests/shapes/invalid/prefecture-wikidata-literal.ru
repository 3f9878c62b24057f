# a Wikidata link written as a string
# expect: pref:16 skos:exactMatch NodeKind Violation Prefecture-exactMatch
DELETE WHERE { pref:16 skos:exactMatch ?w } ;
INSERT DATA { pref:16 skos:exactMatch "http://www.wikidata.org/entity/Q132929" }
