# a region with two source lines
# expect: region:2013-research-and-industry-advancement-3 rg:sourceLine MaxCount Violation Region-line
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:sourceLine 25 }
