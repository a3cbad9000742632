"""Who may see and fill a section's readiness assessments: the rule of a section's
private pages (sections.permissions.get_section_private) — its officers fill and read
them, coordinators of its district and staff read them, everybody else gets 404."""

from sections.permissions import get_section_private as get_section_for_readiness

__all__ = ["get_section_for_readiness"]
