# a field assignment without a method
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method MinCount Violation FieldAssignment-method
DELETE WHERE { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method ?m }
