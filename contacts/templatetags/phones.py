"""Phone numbers as Danes read them, and as phones dial them."""

from django import template

from contacts.rules import format_phone

register = template.Library()


@register.filter
def phone(value: object) -> str:
    """ "+4544884488" → "44 88 44 88"."""
    return format_phone(str(value)) if value else ""


@register.filter
def tel(value: object) -> str:
    """A tel: link target."""
    return f"tel:{value}" if value else ""
