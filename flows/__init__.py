"""newsledger: raw news articles → validated tables of people, events and claims."""

__version__ = "0.1.0"
