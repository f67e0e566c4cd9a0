"""What each command shows, independent of format: documents, charts, the report, scaffolds."""
