"""shenka: explore the facts of Shenzhen's counterpart aid to Kashgar from a terminal."""

__version__ = "0.1.0"
