# a region without a council
# expect: region:2013-research-and-industry-advancement-3 rg:council MinCount Violation Region-council
DELETE WHERE { region:2013-research-and-industry-advancement-3 rg:council ?c . ?c ?p ?o }
