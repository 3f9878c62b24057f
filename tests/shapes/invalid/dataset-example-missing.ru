# a dataset without an example resource
# expect: <https://example.org/regiongraph/dataset> void:exampleResource MinCount Violation Dataset-exampleResource
DELETE WHERE { <https://example.org/regiongraph/dataset> void:exampleResource ?e }
