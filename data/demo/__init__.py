"""Demo commune Val-de-Parvis: a deterministic generator of real-format export files."""
