"""A phone number field that parses each stored number once per process.

Lists load the same ward and hospital numbers hundreds of times, and parsing one costs about 40
µs (its text as much again); the numbers are read-only once loaded (assigning a new value
replaces the object), so one parsed object, with its text, can serve every row that holds the
same stored text.
"""

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber, to_python


class StoredPhoneNumber(PhoneNumber):
    """A number as read from the database, shared by every row that holds it: its text (which
    validates the number each time it is asked for) is worked out once."""

    def __str__(self) -> str:
        text = self.__dict__.get("_text")
        if text is None:
            text = self.__dict__["_text"] = super().__str__()
        return text


@lru_cache(maxsize=4096)
def parsed(value: str) -> PhoneNumber:
    number = StoredPhoneNumber()
    number.merge_from(to_python(value))
    return number


if TYPE_CHECKING:
    # phonenumber_field has no type information; to mypy the field stays what it was.
    PhoneField = PhoneNumberField
else:

    class PhoneField(PhoneNumberField):
        def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
            return parsed(value) if isinstance(value, str) and value else value
