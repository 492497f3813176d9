"""Domain-free plumbing: errors, parsing, middleware, the schema, health, docs and raw SQL."""
