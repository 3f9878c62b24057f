# a region with two raw source lines
# expect: region:2013-research-and-industry-advancement-3 rg:sourceText MaxCount Violation Region-text
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:sourceText "another" }
