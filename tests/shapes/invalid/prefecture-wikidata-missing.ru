# a prefecture without its Wikidata link
# expect: pref:16 schema:sameAs MinCount Violation Prefecture-sameAs
DELETE WHERE { pref:16 schema:sameAs ?w }
