"""The engine: compiling a rubric model into a plan of data, and running it."""
