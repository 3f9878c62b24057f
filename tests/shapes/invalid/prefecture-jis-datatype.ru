# a JIS code that is not a string
# expect: pref:16 rg:jisCode Datatype Violation Prefecture-jisCode
DELETE DATA { pref:16 rg:jisCode "16" } ;
INSERT DATA { pref:16 rg:jisCode 16 }
