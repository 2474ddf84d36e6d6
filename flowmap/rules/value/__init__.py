"""Value rules."""
