"""publish: the static linked-data site (pages, per-resource data, dumps, server configuration)."""
