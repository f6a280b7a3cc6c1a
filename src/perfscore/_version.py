"""The package version, read by the build and recorded in every scorecard."""

__version__ = "0.1.0"
