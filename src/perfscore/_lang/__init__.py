"""The formula language: checking, typing and running formulas; interval analysis of them."""
