"""kg: turn news articles into a knowledge graph."""
