"""Services of the entities app: loading the seed, merging entities."""
