"""Application services: the use cases shared by the pages and the command line."""
