"""OpenAPI examples: one realistic payload per resource (API.md), each app keeping its own."""

from drf_spectacular.utils import OpenApiExample


def response(name: str, value: object) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True)


def request(name: str, value: object) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)
