# a field assignment naming something that is not a field
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:assigned Class Violation FieldAssignment-assigned
DELETE DATA { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:assigned field:nanotechnology } ;
INSERT DATA { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:assigned pref:16 }
