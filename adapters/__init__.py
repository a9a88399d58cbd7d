"""The platforms (Slack, Teams, the web chat, the HTTP API, the console, the CLI): each translates its
payloads to the bot's events and draws the presenter's view; no retrieval or conversation logic."""
