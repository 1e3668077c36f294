"""Path converters: a database id is at most 18 digits, so an id too large for a bigint column
never reaches the database (SQLite raises on it); the URL simply does not match (404)."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")
