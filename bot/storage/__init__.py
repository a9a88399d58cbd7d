"""What Hosakan stores, together: the history database (questions, feedback, escalations, kept
answers for permalinks, deliveries, web sign-outs: history.py), the recorder that writes to it
after the answer (recorder.py), conversation contexts (contexts.py) and the user-id salt (salt.py)."""
