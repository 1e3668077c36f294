"""Who a MedCom message names: ``find`` turns a SOR code or EAN/GLN location number into the
ward, hospital or municipality of this product it belongs to, through the SOR directory
(``SorUnit``, imported by ``manage.py import_sor``). MedCom identifies a message's sender,
receiver and the stay's department by these, never by name."""

import hashlib
from dataclasses import dataclass
from uuid import uuid4

from django.core.cache import cache

from contacts.models import Hospital, Municipality, SorUnit, Ward

SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"
# dk-core 3.5 changed the GLN system from https to http; MedCom's messages use either.
EAN_SYSTEMS = frozenset({"https://www.gs1.org/gln", "http://www.gs1.org/gln"})
PARENT_LEVELS = 4  # ward → department → hospital: a few steps up the SOR tree at most
# The answers of ``find`` are kept by the cache framework under the directory's generation.
GENERATION_KEY = "sor:generation"
FOUND_SECONDS = 300


@dataclass(frozen=True)
class Party:
    """What an identifier names in this product. ``code`` is the SOR code it resolved to."""

    code: str
    name: str
    ward: Ward | None = None
    hospital: Hospital | None = None
    municipality: Municipality | None = None
    unit: SorUnit | None = None  # the SOR directory's entry, when the identifier has one


def find(*, sor: str = "", ean: str = "") -> Party | None:
    """The ward (with its hospital), hospital or municipality a SOR code or EAN names; None when
    it names nothing this product knows. A department unknown to the product belongs to the
    hospital above it in the SOR tree.

    Every MedCom message names three parties, and the directory changes by an import a day: the
    answers come through the cache framework, under the directory's generation, which saving a
    SOR unit, ward, hospital or municipality and every import begin anew (``directory_changed``).
    Where the cache is not shared between processes (the demo's local memory), another process
    answers from the new directory within FOUND_SECONDS."""
    generation = cache.get_or_set(GENERATION_KEY, lambda: uuid4().hex, None)
    named = hashlib.sha256(f"{sor}\n{ean}".encode()).hexdigest()
    key = f"sor:{generation}:{named}"
    found: tuple[Party | None] | None = cache.get(key)
    if found is None:
        found = (_find(sor, ean),)
        cache.set(key, found, FOUND_SECONDS)
    return found[0]


def directory_changed(**_signal: object) -> None:
    """Begin a new generation of ``find``'s answers: the old ones are never read again."""
    cache.delete(GENERATION_KEY)


def _find(sor: str, ean: str) -> Party | None:
    unit = None
    if sor:
        unit = SorUnit.objects.select_related("municipality").filter(sor_code=sor).first()
    elif ean:
        unit = SorUnit.objects.select_related("municipality").filter(ean=ean).first()
    code = unit.sor_code if unit else sor
    if not code:
        return None
    name = unit.name if unit else ""
    ward = Ward.objects.select_related("hospital").filter(sor_code=code).first()
    if ward is not None:
        return Party(code, name or ward.name, ward=ward, hospital=ward.hospital, unit=unit)
    hospital = _hospital_at_or_above(code)
    municipality = unit.municipality if unit else None
    if hospital is None and municipality is None:
        return None
    return Party(code, name, hospital=hospital, municipality=municipality, unit=unit)


def _hospital_at_or_above(code: str) -> Hospital | None:
    for _level in range(PARENT_LEVELS):
        hospital = Hospital.objects.filter(sor_code=code).first()
        if hospital is not None:
            return hospital
        code = (
            SorUnit.objects.filter(sor_code=code).values_list("parent_sor_code", flat=True).first()
            or ""
        )
        if not code:
            return None
    return None


# The national SOR export (SOR2, ``SorEntity_daily.csv``): ";"-separated UTF-8 with a header row,
# SOR codes written as ="…" so that spreadsheets keep them as text. The importer relies on these
# columns, by header name; each is tried under the names it has had.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sor_code": ("SorId", "SOR-ID", "sor_id"),
    "name": ("EntityName", "Navn", "name"),
    "ean": ("EanLocationCode", "LocationNumber", "Lokationsnummer", "ean"),
    "parent_sor_code": ("ParentSorId", "ParentId", "parent_sor_id"),
    "municipality": ("MunicipalityCode", "Kommunekode", "A_KK", "municipality_code"),
    "unit_type": ("EntityTypeName", "Enhedstype", "entity_type"),
    "owner_type": ("InstitutionOwnerEntityTypeName", "Ejerforhold", "owner_type"),
}
REQUIRED = ("sor_code", "name")


class BadExport(ValueError):
    """The file is not a SOR export this importer can read; the text says where and why."""


def _unwrapped(value: str) -> str:
    value = value.strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    return value.strip()


def header_map(header: list[str]) -> dict[str, int]:
    """Each column the importer uses, by its position in the file's header."""
    positions = {name.strip().lstrip("\ufeff"): index for index, name in enumerate(header)}
    found = {}
    for field, names in COLUMNS.items():
        for name in names:
            if name in positions:
                found[field] = positions[name]
                break
    missing = [COLUMNS[field][0] for field in REQUIRED if field not in found]
    if missing:
        raise BadExport(f"the header has no column {', '.join(missing)}")
    return found


def unit_from_row(row: list[str], columns: dict[str, int], line: int) -> dict[str, str]:
    """One unit's fields from a row of the export; a row without a SOR code or name is an
    error that names its line."""
    values = {
        field: _unwrapped(row[index]) if index < len(row) else ""
        for field, index in columns.items()
    }
    code, name = values.get("sor_code", ""), values.get("name", "")
    if not code.isascii() or not code.isdigit() or not name:
        raise BadExport(f"line {line}: a unit needs a numeric SOR code and a name")
    ean = values.get("ean", "")
    if ean and not (ean.isascii() and ean.isdigit() and len(ean) == 13):
        raise BadExport(f"line {line}: the EAN location number {ean!r} is not 13 digits")
    return values
