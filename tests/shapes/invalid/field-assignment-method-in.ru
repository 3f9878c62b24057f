# a field assignment by explicit mention
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method In Violation FieldAssignment-method
DELETE WHERE { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method ?m } ;
INSERT DATA { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method rg:ExplicitMention }
