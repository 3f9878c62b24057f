# a signal term tagged @en
# expect: field:nanotechnology rg:signalTerm LanguageIn Violation Field-signalTerm
INSERT DATA { field:nanotechnology rg:signalTerm "nanotech"@en }
