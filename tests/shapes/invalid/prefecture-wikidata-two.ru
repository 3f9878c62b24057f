# a prefecture with two Wikidata links
# expect: pref:16 schema:sameAs MaxCount Violation Prefecture-sameAs
INSERT DATA { pref:16 schema:sameAs wd:Q1 }
