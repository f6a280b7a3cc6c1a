"""Output: scorecard models, words in every language, review of claims, renderers."""
