# a JIS code of three digits
# expect: pref:16 rg:jisCode Pattern Violation Prefecture-jisCode
# expect: rg:Prefecture - SPARQL Violation Prefecture-check-digit
DELETE DATA { pref:16 rg:jisCode "16" } ;
INSERT DATA { pref:16 rg:jisCode "016" }
