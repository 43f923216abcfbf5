"""The install_postback dialect (not built yet: its credentials are provisioned and validated)."""
