"""The test suite of prorata."""
