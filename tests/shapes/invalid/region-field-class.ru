# a region linked to something that is not an rg:Field
# expect: region:2013-research-and-industry-advancement-3 rg:field Class Violation Region-field-class
INSERT DATA { region:2013-research-and-industry-advancement-3 rg:field field:unknown }
