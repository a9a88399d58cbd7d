"""Every sentence Hosakan says, by audience: officials, maintainers and administrators, clients of the
HTTP API and the web page. Strings and the small functions that fill them, nothing else."""
