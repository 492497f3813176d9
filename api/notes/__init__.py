"""Notes: the keyset-paginated list, search, and the note detail endpoints."""
