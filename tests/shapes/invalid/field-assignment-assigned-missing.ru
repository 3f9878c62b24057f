# a field assignment that names no field
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:assigned MinCount Violation FieldAssignment-assigned
DELETE DATA { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:assigned field:nanotechnology }
