"""Stage 4, the graph as a network: entities and ties, analytics, views, the explorer page."""
