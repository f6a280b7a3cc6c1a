"""Loading: text to located data to validated models (rubric and facts)."""
