"""Path converters: a database id is at most 18 digits, so an id too large for a bigint column
never reaches the database (SQLite raises on it); the URL simply does not match (404)."""

from django.urls import register_converter
from django.urls.converters import IntConverter, StringConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")


class MunicipalityCodeConverter(StringConverter):
    """A municipality's official code: three ASCII digits ("101")."""

    regex = "[0-9]{3}"


register_converter(MunicipalityCodeConverter, "municipality")
