# a broader field that is not an rg:Field
# expect: field:nanotechnology skos:broader Class Violation Field-broader
INSERT DATA { field:nanotechnology skos:broader field:unknown }
