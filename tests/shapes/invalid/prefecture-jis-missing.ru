# a prefecture without its JIS code
# expect: pref:16 rg:jisCode MinCount Violation Prefecture-jisCode
DELETE DATA { pref:16 rg:jisCode "16" }
