# a prefecture without its Wikidata link
# expect: pref:16 skos:exactMatch MinCount Violation Prefecture-exactMatch
DELETE WHERE { pref:16 skos:exactMatch ?w }
