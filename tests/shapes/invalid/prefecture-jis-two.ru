# a prefecture with two JIS codes
# expect: pref:16 rg:jisCode MaxCount Violation Prefecture-jisCode
# expect: rg:Prefecture - SPARQL Violation Prefecture-check-digit
INSERT DATA { pref:16 rg:jisCode "61" }
