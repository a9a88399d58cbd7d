"""The operators' tools: where data lives (home), backup and restore, the usage report, evaluation
and its history, the generated stress set and fitting the answer policy."""
