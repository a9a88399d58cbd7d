"""Japanese analysis, passages and the Whoosh index on disk (built as generations, opened live).
Imports the knowledge layer only."""
