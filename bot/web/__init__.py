"""The web adapters: one composition root, the HTTP API and the Gradio UI mounted in one app."""
