"""The platform-free bot: a question in, a cited answer out, the conversation around it, what is
stored, and the operators' tools. Imports the indexer and the knowledge layer, never an adapter."""
