"""Tests of the demo commune generator (data/demo)."""
