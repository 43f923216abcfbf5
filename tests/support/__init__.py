"""Test helpers: a throwaway PostgreSQL cluster, a live server on loopback, a settable clock."""
