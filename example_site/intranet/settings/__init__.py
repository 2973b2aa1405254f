"""Split settings: base, dev (default, SQLite) and production (from the environment)."""
