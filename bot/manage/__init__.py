"""The 管理 area: trainer accounts, editing and review of items, import of documents, the question log."""
