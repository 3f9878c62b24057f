# an organization with two official English names
# expect: orgn:toyama-new-industry-organization rg:officialEnglishName MaxCount Violation Organization-officialEnglishName
INSERT DATA { orgn:toyama-new-industry-organization rg:officialEnglishName "Toyama New Industry Organization"@en , "TONIO"@en }
