"""Template filters for windows of responsibility."""

from datetime import datetime

from django import template

from handover import rules

register = template.Library()


@register.filter
def hours_left(ends_at: datetime | None, at: datetime) -> int:
    """Whole hours left of a window at ``at``; 0 when it has ended."""
    return round(rules.hours_remaining(ends_at, at))
