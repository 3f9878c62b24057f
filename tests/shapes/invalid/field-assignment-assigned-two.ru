# a field assignment naming two fields
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:assigned MaxCount Violation FieldAssignment-assigned
INSERT DATA { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:assigned field:manufacturing }
