"""A question in, an answer out: understanding it, searching, ranking, the answer policy, the
direct answer (a structured fact, a filter over cases, a comparison, or the sentence that states
the fact), snippets; ``pipeline`` runs the steps. Knows nothing of conversations or platforms."""
