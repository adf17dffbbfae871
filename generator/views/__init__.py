"""Views: pure functions of the calendar model that return files (path → text or bytes)."""
