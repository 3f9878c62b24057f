# an ISO 3166-2 code in the wrong form
# expect: pref:16 rg:iso3166_2 Pattern Violation Prefecture-iso3166-2
DELETE DATA { pref:16 rg:iso3166_2 "JP-16" } ;
INSERT DATA { pref:16 rg:iso3166_2 "JP16" }
