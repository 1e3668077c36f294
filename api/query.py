"""Query parameters read through serializers: one declaration validates them (400 with the field's
message, never a silent fallback) and describes them in the OpenAPI schema."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import empty


class QueryBoolean(serializers.BooleanField):
    """A boolean that is absent when the parameter is (a form's missing checkbox means false)."""

    default_empty_html = empty


MAX_ID = 2**63 - 1  # bigint


class QueryId(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=1, max_value=MAX_ID, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        # int() reads "٣" (Arabic-Indic three) as 3: an id is written in ASCII digits or not
        # at all, as the pages' ids and the pagination's numbers are.
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return int(super().to_internal_value(data))


def query(params: Mapping[str, Any], form: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    """Validated parameters; a parameter given empty is an error, unless its field allows blank
    (a serializer otherwise reads an empty form field as absent)."""
    bound = form(data=params)
    blank = {
        name: [_("Må ikke være tom.")]
        for name, field in bound.fields.items()
        if params.get(name) == "" and not getattr(field, "allow_blank", False)
    }
    if blank:
        raise serializers.ValidationError(blank)
    bound.is_valid(raise_exception=True)
    return dict(bound.validated_data)
