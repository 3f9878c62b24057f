# a field assignment without evidence
# expect: assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:evidence MinCount Violation FieldAssignment-evidence
DELETE WHERE { assignment:2013-research-and-industry-advancement-3-field-nanotechnology rg:evidence ?e }
