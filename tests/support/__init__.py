"""What the tests share that is neither a test nor a fixture of conftest's: the conversation
driver (``chat``: say a question, read what would be shown), stand-ins for Slack's and the Bot
Connector's servers on 127.0.0.1 (``slack_standin``, ``connector_standin``, on ``local_server``),
an event loop in a thread (``loop_thread``), a real PostgreSQL (``postgres``) and the headless
Chromium (``browser``); the real records and copies of them (``knowledge``), the real `hosakan`
command (``cli``), signed Slack requests (``slack``), raw HTTP (``http``) and record files to break
(``records``). No test module imports another, nor conftest.py (ruff's TID251, pyproject.toml).
bench/ imports none of it."""
