"""The live server: pages and data by content negotiation, and a SPARQL 1.1 endpoint."""
