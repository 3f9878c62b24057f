# a prefecture with two e-Stat codes
# expect: pref:16 ic:都道府県コード MaxCount Violation Prefecture-estat-code
INSERT DATA { pref:16 ic:都道府県コード sac:C17000 }
