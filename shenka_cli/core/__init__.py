"""The domain: model, figures, schema and loader, query, search, store. Raises, never prints."""
