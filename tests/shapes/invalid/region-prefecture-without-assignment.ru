# a prefecture link without an assignment that gives its evidence
# expect: rg:Region - SPARQL Violation Region-prefecture-evidence
DELETE WHERE { region:2013-research-and-industry-advancement-3 rg:assignment assignment:2013-research-and-industry-advancement-3-prefecture-16 . assignment:2013-research-and-industry-advancement-3-prefecture-16 ?p ?o }
