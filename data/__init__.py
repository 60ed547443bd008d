"""Data shipped with Parvis: the demo commune's export files and their generator."""
