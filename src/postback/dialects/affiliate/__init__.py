"""The affiliate dialect (not built yet: its credentials are provisioned and validated)."""
