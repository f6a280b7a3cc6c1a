"""Author tools: check, rubric test cases, diff, JSON Schemas and facts templates."""
