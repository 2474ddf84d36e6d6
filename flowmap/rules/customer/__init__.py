"""Customer rules."""
