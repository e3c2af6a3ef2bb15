"""Presenting answers: views, text, JSON, tables, exports, papers."""
