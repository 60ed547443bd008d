"""Tests of metrics.sentiment: French and English sentiment, language, explanations, accuracy."""
