"""A phone number field that parses each stored number once per process.

Lists load the same ward and hospital numbers hundreds of times, and parsing one costs about 40
µs; the numbers are read-only once loaded (assigning a new value replaces the object), so one
parsed object can serve every row that holds the same text.
"""

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber, to_python


@lru_cache(maxsize=4096)
def parsed(value: str) -> PhoneNumber:
    return to_python(value)


if TYPE_CHECKING:
    # phonenumber_field has no type information; to mypy the field stays what it was.
    PhoneField = PhoneNumberField
else:

    class PhoneField(PhoneNumberField):
        def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
            return parsed(value) if isinstance(value, str) and value else value
