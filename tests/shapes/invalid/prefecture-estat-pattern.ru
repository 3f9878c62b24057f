# an e-Stat code with a period (a dated code, not the plain one)
# expect: pref:16 ic:都道府県コード Pattern Violation Prefecture-estat-code
DELETE WHERE { pref:16 ic:都道府県コード ?c } ;
INSERT DATA { pref:16 ic:都道府県コード <http://data.e-stat.go.jp/lod/sac/C16000-19700401> }
