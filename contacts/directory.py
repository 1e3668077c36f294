"""Directory facts kept in each process: wards by SOR code and by id, municipalities by name and
by code, rules (``config.kept``).

Every MedCom message needs all three, recording a discharge needs the rules, a look-up the ward
with its hospital, and the worklist and the board name the wards and municipalities of their
rows, while an administrator changes them a few times a year. Saving or deleting a hospital,
ward, municipality or rule makes every process read them anew.
"""

from config.kept import Kept
from contacts.models import Municipality, Ward

DIRECTORY = Kept("directory:version")
kept = DIRECTORY.get
follow = DIRECTORY.follow


def ward(pk: int) -> Ward:
    """The ward with this id, its hospital read with it."""
    found = kept(
        "ward-id", pk, lambda: Ward.objects.select_related("hospital").filter(pk=pk).first()
    )
    if found is None:
        raise Ward.DoesNotExist(f"no ward {pk}")
    return found


def wards_of(hospital_id: int | None) -> list[Ward]:
    """The hospital's active wards, by name (none without a hospital)."""
    if hospital_id is None:
        return []
    return (
        kept(
            "hospital-wards",
            hospital_id,
            lambda: list(Ward.objects.active().filter(hospital_id=hospital_id)),
        )
        or []
    )


def municipality(code: str) -> Municipality:
    found = kept("municipality-code", code, lambda: Municipality.objects.filter(code=code).first())
    if found is None:
        raise Municipality.DoesNotExist(f"no municipality {code}")
    return found
