# a call with two fiscal year labels
# expect: call:2013 rg:fiscalYearLabel MaxCount Violation Call-fiscalYearLabel
INSERT DATA { call:2013 rg:fiscalYearLabel "H25"@ja }
