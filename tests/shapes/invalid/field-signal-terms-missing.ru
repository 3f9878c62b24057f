# a field without signal terms
# expect: field:nanotechnology rg:signalTerm MinCount Violation Field-signalTerm
DELETE WHERE { field:nanotechnology rg:signalTerm ?t }
