"""The filing pre-check pipeline: load → normalize → OCR → fields → cross-check → report."""

__version__ = "0.1.0"
