# a prefecture without its e-Stat code
# expect: pref:16 ic:都道府県コード MinCount Violation Prefecture-estat-code
DELETE WHERE { pref:16 ic:都道府県コード ?c }
