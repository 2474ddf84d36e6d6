"""The words of each language, one module per language (see flowmap.inference.matcher)."""
