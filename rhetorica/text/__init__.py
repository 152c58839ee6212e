"""Text handling that keeps character offsets: paragraphs, sentences, boilerplate."""
from .segment import paragraphs, sentences

__all__ = ["paragraphs", "sentences"]
