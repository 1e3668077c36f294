"""The API reads JSON and nothing else, and refuses a body it cannot store with a 400.

DRF's own parser lets a deeply nested body escape as a ``RecursionError`` (a 500) and hands on
strings with NUL characters, which PostgreSQL cannot store in text (another 500) and SQLite
stores silently. Both are the client's mistake, answered in the API's error shape.
"""

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

NUL = "\x00"


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=strict_constant if self.strict else None,
            )
        except RecursionError as error:
            raise ParseError(_("JSON-dokumentet er indlejret for dybt.")) from error
        except json.JSONDecodeError as error:
            message = _("Brødteksten er ikke gyldig JSON (linje %(line)d, tegn %(column)d).")
            raise ParseError(message % {"line": error.lineno, "column": error.colno}) from error
        except UnicodeDecodeError as error:
            raise ParseError(_("Brødteksten er ikke gyldig UTF-8.")) from error
        except ValueError as error:  # NaN and Infinity, integers too long to read
            raise ParseError(_("Brødteksten er ikke gyldig JSON.")) from error
        where = _nul_in(data)
        if where is not None:
            raise ParseError({where: [_("Tekst må ikke indeholde NUL-tegnet (U+0000).")]})
        return data


def _nul_in(data: Any) -> str | None:
    """The dotted path (as ``api.errors`` names fields) of a string, or key, holding a NUL
    character; walked without recursion, as the body may be nested as deep as the decoder
    allowed."""
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str) and NUL in value:
            return path or "non_field_errors"
        if isinstance(value, dict):
            for key, item in value.items():
                if NUL in key:
                    return path or "non_field_errors"
                pending.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            pending.extend(
                (f"{path}.{index}" if path else str(index), item)
                for index, item in enumerate(value)
            )
    return None
