"""Smokestack rules."""
