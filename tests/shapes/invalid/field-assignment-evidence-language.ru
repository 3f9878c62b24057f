# field evidence tagged @en
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:evidence LanguageIn Violation FieldAssignment-evidence
INSERT DATA { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:evidence "nanotech"@en }
