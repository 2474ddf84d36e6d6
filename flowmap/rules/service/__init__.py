"""Service rules."""
