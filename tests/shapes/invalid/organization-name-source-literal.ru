# the source of an official English name given as text, not as the page's address
# expect: orgn:toyama-new-industry-organization rg:englishNameSource NodeKind Violation Organization-englishNameSource
INSERT DATA { orgn:toyama-new-industry-organization rg:englishNameSource "the foundation's English page" }
