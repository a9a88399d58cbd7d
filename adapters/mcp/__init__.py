"""MCP (Model Context Protocol) for AI assistants: `hosakan mcp` over stdio, /mcp on `serve`."""
