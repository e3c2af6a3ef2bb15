"""Deciding at the window: checklists, 禁办 situations, verdicts, working days."""
