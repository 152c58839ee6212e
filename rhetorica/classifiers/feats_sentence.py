"""Feature builders for this topic (being written)."""
