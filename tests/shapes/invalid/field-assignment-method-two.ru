# a field assignment with two methods
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method MaxCount Violation FieldAssignment-method
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method In Violation FieldAssignment-method
INSERT DATA { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:method rg:ExplicitMention }
