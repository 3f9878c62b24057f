# a call with two fiscal years
# expect: call:2013 rg:fiscalYear MaxCount Violation Call-fiscalYear
INSERT DATA { call:2013 rg:fiscalYear 2014 }
