"""OCR engines behind one small interface, chosen from a registry by name."""
