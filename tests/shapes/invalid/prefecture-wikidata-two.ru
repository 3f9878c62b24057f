# a prefecture with two Wikidata links
# expect: pref:16 skos:exactMatch MaxCount Violation Prefecture-exactMatch
INSERT DATA { pref:16 skos:exactMatch wd:Q1 }
