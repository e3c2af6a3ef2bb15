"""Reading, checking and storing a knowledge base."""
