"""The one-time token of a form that creates something (``handover.idempotency``)."""

import secrets

from django import template

from handover.idempotency import FORM_TOKEN_FIELD

register = template.Library()


@register.inclusion_tag("handover/_form_token.html")
def form_token() -> dict[str, str]:
    """A hidden field with a new random token: the form's second send (a double click) gets the
    first send's answer and writes nothing."""
    return {"name": FORM_TOKEN_FIELD, "value": secrets.token_urlsafe(32)}
