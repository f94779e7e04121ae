"""Chat: understanding a worker's question, following the conversation, retrieving, deciding, answering."""
