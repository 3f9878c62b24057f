# a field with two broader fields
# expect: field:unmanned-aircraft skos:broader MaxCount Violation Field-broader
INSERT DATA { field:unmanned-aircraft skos:broader field:aerospace }
