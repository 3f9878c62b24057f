# a region label without a language tag
# expect: region:2013-research-and-industry-advancement-3 rdfs:label Datatype Violation Region-label-datatype
INSERT DATA { region:2013-research-and-industry-advancement-3 rdfs:label "Toyama" }
