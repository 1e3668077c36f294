"""The SOR directory: identifiers found by SOR code or EAN, and the national export imported
whole or not at all."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contacts import sor
from contacts.demo import SOR_DEMO
from contacts.models import SorUnit
from tests.factories import HospitalFactory, WardFactory

pytestmark = pytest.mark.django_db

HEADER = "SorId;EntityName;EanLocationCode;ParentSorId;MunicipalityCode;EntityTypeName\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "SorEntity_daily.csv"
    path.write_text(text, encoding="utf-8")
    return path


def imported(path: Path) -> str:
    out = io.StringIO()
    call_command("import_sor", path, stdout=out)
    return out.getvalue()


def test_the_export_is_imported_with_codes_unwrapped_and_municipalities_mapped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = HEADER + '="953741000016009";Plejecenter Herlev;5790001348120;;0163;Plejecenter\n'
    output = imported(write(tmp_path, text))
    unit = SorUnit.objects.get()
    assert (unit.sor_code, unit.ean, unit.municipality_id, unit.unit_type) == (
        "953741000016009",
        "5790001348120",
        "163",
        "Plejecenter",
    )
    assert "1 enheder" in output


def test_a_second_import_updates_by_sor_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    imported(write(tmp_path, HEADER + '="953741000016009";Plejecenter Herlev;;;0163;\n'))
    imported(write(tmp_path, HEADER + '="953741000016009";Plejecentret Herlev;;;0163;\n'))
    assert list(SorUnit.objects.values_list("name", flat=True)) == ["Plejecentret Herlev"]


def test_a_bad_row_names_its_line_and_nothing_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = HEADER + '="953741000016009";Plejecenter Herlev;;;0163;\n="abc";Uden kode;;;;\n'
    with pytest.raises(CommandError, match="line 3"):
        imported(write(tmp_path, text))
    assert not SorUnit.objects.exists()


def test_a_file_without_the_columns_it_needs_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="SorId"):
        imported(write(tmp_path, "Name;Other\nx;y\n"))


def test_an_ean_of_the_wrong_length_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="13 digits"):
        imported(write(tmp_path, HEADER + '="953741000016009";Plejecenter Herlev;579;;0163;\n'))


def test_the_demo_holds_every_code_of_medcoms_examples() -> None:
    imported(SOR_DEMO)
    for code in ("265161000016000", "399841000016000", "953741000016009"):
        assert SorUnit.objects.filter(sor_code=code).exists()
    assert SorUnit.objects.get(ean="5790001348120").municipality_id == "163"


def test_a_ward_is_found_by_its_sor_code_and_by_its_ean() -> None:
    imported(SOR_DEMO)
    ward = WardFactory(hospital=HospitalFactory(sor_code="108401000"), sor_code="265161000016000")
    assert sor.find(sor="265161000016000").ward == ward
    assert sor.find(ean="5790000209354").ward == ward


def test_a_department_unknown_here_belongs_to_the_hospital_above_it() -> None:
    imported(SOR_DEMO)
    hospital = HospitalFactory(sor_code="108401000")
    WardFactory(hospital=hospital, sor_code="265161000016000")
    found = sor.find(sor="399841000016000")
    assert (found.ward, found.hospital) == (None, hospital)


def test_a_municipal_unit_names_its_municipality() -> None:
    imported(SOR_DEMO)
    assert sor.find(sor="953741000016009").municipality.name == "Herlev"


def test_the_kept_answers_follow_an_import_and_a_saved_ward(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = "953741000016009"
    assert sor.find(sor=code) is None  # kept: the unit is not known yet
    imported(write(tmp_path, HEADER + f'="{code}";Plejecenter Herlev;;;0163;\n'))
    assert sor.find(sor=code).municipality.name == "Herlev"
    imported(write(tmp_path, HEADER + f'="{code}";Plejecenter Herlev;;;0101;\n'))
    assert sor.find(sor=code).municipality.name == "København"
    ward = WardFactory(sor_code=code)
    assert sor.find(sor=code).ward == ward
    ward.delete()
    assert sor.find(sor=code).ward is None


def test_an_identifier_nobody_knows_finds_nothing() -> None:
    assert sor.find(sor="111111111111111") is None
    assert sor.find(ean="5790000000000") is None
