# a call without a fiscal year
# expect: call:2013 rg:fiscalYear MinCount Violation Call-fiscalYear
DELETE DATA { call:2013 rg:fiscalYear 2013 }
