# a fiscal year label without a language tag
# expect: call:2013 rg:fiscalYearLabel Datatype Violation Call-fiscalYearLabel
DELETE DATA { call:2013 rg:fiscalYearLabel "平成25年度"@ja } ;
INSERT DATA { call:2013 rg:fiscalYearLabel "平成25年度" }
