# an e-Stat code written as a string
# expect: pref:16 ic:都道府県コード NodeKind Violation Prefecture-estat-code
DELETE WHERE { pref:16 ic:都道府県コード ?c } ;
INSERT DATA { pref:16 ic:都道府県コード "http://data.e-stat.go.jp/lod/sac/C16000" }
