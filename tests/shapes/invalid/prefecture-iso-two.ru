# a prefecture with two ISO 3166-2 codes
# expect: pref:16 rg:iso3166_2 MaxCount Violation Prefecture-iso3166-2
INSERT DATA { pref:16 rg:iso3166_2 "JP-61" }
