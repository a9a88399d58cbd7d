"""The conversation around an answer, written once for every platform: help, admin commands,
follow-ups and their context, paging, feedback, sharing, and the presenter that decides what every
surface shows."""
