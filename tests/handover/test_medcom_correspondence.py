"""The ward's CareCommunication "Udvidet behandlingsansvar" goes out through the outbox when a
covered discharge is documented, extended or ended early by the ward; the municipality's
Acknowledgements and replies come back onto the discharge's thread."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from fhir.resources.R4B.bundle import Bundle

from accounts.models import Role
from contacts.demo import SOR_DEMO
from contacts.models import Municipality, SorUnit
from handover import services
from handover.medcom import acknowledgement as ack
from handover.medcom.bundle import Org
from handover.models import Channel, EndReason, InboundMessage, Notification
from handover.services import notifications
from tests.factories import record_discharge
from tests.medcom import URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDCOM_TRANSPORT = "folder"
    settings.MEDCOM_OUTBOX_DIR = tmp_path / "outbox"
    call_command("import_sor", SOR_DEMO, stdout=io.StringIO())
    Municipality.objects.filter(code="163").update(
        medcom_receiver=SorUnit.objects.get(sor_code="953741000016108")
    )
    return tmp_path / "outbox"


@pytest.fixture
def nurse(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward, first_name="Anne", last_name="Sørensen")


def sent(discharge) -> list[Notification]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(discharge=discharge, channel=Channel.MEDCOM).order_by("id")
    )


def test_a_documented_discharge_sends_one_care_communication_as_a_valid_file(  # type: ignore[no-untyped-def]
    outbox, herlev_ward, nurse, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        discharge = record_discharge(ward=herlev_ward, by=nurse, contact_phone="+4544881234")
    [row] = sent(discharge)
    assert row.recipient == "953741000016108"
    notifications.deliver_pending()
    row.refresh_from_db()
    assert row.sent_at is not None
    written = json.loads((outbox / f"{row.message_id}.json").read_text())
    Bundle.model_validate(written)
    assert written["entry"][0]["resource"]["id"] == row.message_id
    assert "tlf. 44 88 12 34" in json.dumps(written, ensure_ascii=False)


def test_an_undocumented_discharge_sends_nothing_until_its_plan_is_written(  # type: ignore[no-untyped-def]
    outbox, herlev_ward, nurse
) -> None:
    discharge = record_discharge(ward=herlev_ward, by=nurse, treatment_plan="")
    assert sent(discharge) == []
    services.document_discharge(discharge=discharge, by=nurse, treatment_plan="Vej dagligt.")
    assert len(sent(discharge)) == 1


def test_an_extension_and_an_early_end_by_the_ward_each_send_one(
    outbox, herlev_ward, nurse
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, by=nurse)
    services.extend_responsibility(discharge=discharge, by=nurse, hours=24, reason="Ustabil")
    services.end_responsibility(discharge=discharge, by=nurse, reason=EndReason.READMITTED)
    _documented, extended, ended = sent(discharge)
    assert "forlænget med 24 timer" in extended.body
    assert "afsluttet før tid" in ended.body
    assert "ophørte" in ended.body
    assert "Hospitalet har behandlingsansvar" not in ended.body


def test_a_discharge_the_scheme_does_not_cover_sends_nothing(outbox, herlev_ward, nurse) -> None:  # type: ignore[no-untyped-def]
    assert sent(record_discharge(ward=herlev_ward, by=nurse, destination="other")) == []


def test_a_municipality_without_a_receiving_unit_is_told_on_the_discharge_page(  # type: ignore[no-untyped-def]
    outbox, herlev_ward, nurse, client
) -> None:
    discharge = record_discharge(ward=herlev_ward, by=nurse, municipality_code="101")
    assert sent(discharge) == []
    client.force_login(nurse)
    page = client.get(f"/udskrivelser/{discharge.pk}/").content.decode()
    assert "ingen modtager af korrespondancemeddelelser" in page


def test_the_http_transport_posts_the_message(settings, outbox, herlev_ward, nurse) -> None:  # type: ignore[no-untyped-def]
    received: list[bytes] = []

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MEDCOM_TRANSPORT = "http"
    settings.MEDCOM_ENDPOINT = f"http://127.0.0.1:{server.server_port}/vans"
    try:
        discharge = record_discharge(ward=herlev_ward, by=nurse)
        notifications.deliver_pending()
    finally:
        server.shutdown()
    [row] = sent(discharge)
    assert row.sent_at is not None
    assert json.loads(received[0])["entry"][0]["resource"]["id"] == row.message_id


def municipal_client(api_client, make_user, code="163"):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.MUNICIPAL_NURSE, municipality_id=code))
    return api_client


def acknowledgement_of(row: Notification, code: str = "ok") -> bytes:
    """The municipality's answer to the ward's message, sent from the unit it went to."""
    header = row.payload["entry"][0]["resource"]
    organisations = {
        e["resource"]["id"]: e["resource"]
        for e in row.payload["entry"]
        if e["resource"]["resourceType"] == "Organization"
    }

    def org(reference: dict) -> Org:  # type: ignore[type-arg]
        found = organisations[reference["reference"].split("/")[1]]
        ids = {i["system"]: i["value"] for i in found["identifier"]}
        return Org(
            ids.get("urn:oid:1.2.208.176.1.1", ""),
            ids.get("https://www.gs1.org/gln", ""),
            found["name"],
        )

    parties = ack.Parties(
        row.message_id, org(header["sender"]), org(header["destination"][0]["receiver"])
    )
    problem = ack.problem_for("ukendt borger") if code != "ok" else None
    return json.dumps(ack.acknowledgement(parties, row.created_at, problem)).encode()


def test_an_acknowledgement_from_the_receiving_municipality_is_shown(  # type: ignore[no-untyped-def]
    outbox, herlev_ward, nurse, api_client, make_user, client
) -> None:
    discharge = record_discharge(ward=herlev_ward, by=nurse)
    [row] = sent(discharge)
    answer = municipal_client(api_client, make_user).post(
        "/api/v1/fhir/acknowledgement/",
        acknowledgement_of(row),
        content_type="application/fhir+json",
    )
    assert (answer.status_code, answer.json()) == (200, {"result": "recorded"})
    row.refresh_from_db()
    assert (row.ack_code, row.acknowledged_at is not None) == ("ok", True)
    client.force_login(nurse)
    assert "kvitteret" in client.get(f"/udskrivelser/{discharge.pk}/").content.decode()


def test_an_acknowledgement_from_another_municipalitys_account_is_refused(  # type: ignore[no-untyped-def]
    outbox, herlev_ward, nurse, api_client, make_user
) -> None:
    discharge = record_discharge(ward=herlev_ward, by=nurse)
    [row] = sent(discharge)
    answer = municipal_client(api_client, make_user, "751").post(
        "/api/v1/fhir/acknowledgement/",
        acknowledgement_of(row),
        content_type="application/fhir+json",
    )
    assert answer.status_code == 403
    row.refresh_from_db()
    assert row.ack_code == ""


def reply_to(row: Notification, text: str = "Borgeren har det bedre.") -> bytes:
    """The municipality's reply: the ward's message turned around, with new ids and its text."""
    from handover.medcom import care_communication, resources

    bundle = json.loads(json.dumps(row.payload))
    header = bundle["entry"][0]["resource"]
    header["id"] = resources.new_id()
    header["sender"], header["destination"][0]["receiver"] = (
        header["destination"][0]["receiver"],
        header["sender"],
    )
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Communication":
            resource["payload"][0]["contentString"] = text
        if resource["resourceType"] == "Provenance":
            resource["target"] = [{"reference": f"MessageHeader/{header['id']}"}]
    assert header["eventCoding"]["code"] == care_communication.EVENT
    return json.dumps(bundle).encode()


def test_a_reply_from_the_municipality_is_attached_and_the_ward_told(  # type: ignore[no-untyped-def]
    outbox, herlev_ward, nurse, api_client, make_user, client
) -> None:
    from tests.factories import ContactPersonFactory

    ContactPersonFactory(ward=herlev_ward, email="kardio@herlev.example.dk")
    discharge = record_discharge(ward=herlev_ward, by=nurse)
    [row] = sent(discharge)
    answer = municipal_client(api_client, make_user).post(
        "/api/v1/fhir/care-communication/", reply_to(row), content_type="application/fhir+json"
    )
    assert answer.status_code == 200
    assert answer.json()["result"] == "recorded"
    assert (
        InboundMessage.objects.get(message_type="care-communication-message").discharge == discharge
    )
    assert Notification.objects.filter(
        discharge=discharge, channel=Channel.EMAIL, recipient="kardio@herlev.example.dk"
    ).exists()
    client.force_login(nurse)
    page = client.get(f"/udskrivelser/{discharge.pk}/").content.decode()
    assert "Svar fra kommunen" in page
    assert "Borgeren har det bedre." in page


def test_a_reply_about_a_citizen_the_municipality_cannot_see_is_answered_alike_and_not_attached(  # type: ignore[no-untyped-def]
    outbox, herlev_ward, nurse, api_client, make_user
) -> None:
    mine = record_discharge(ward=herlev_ward, by=nurse)
    theirs = record_discharge(ward=herlev_ward, by=nurse, cpr="0202451234", municipality_code="101")
    [row] = sent(mine)
    about_theirs = reply_to(row).replace(b"0101451234", b"0202451234")
    client = municipal_client(api_client, make_user)
    answers = [
        client.post("/api/v1/fhir/care-communication/", body, content_type="application/fhir+json")
        for body in (about_theirs,)
    ]
    assert [(a.status_code, a.json()["result"]) for a in answers] == [(200, "recorded")]
    assert not InboundMessage.objects.filter(discharge=theirs).exists()


def test_a_hospital_notification_posted_by_a_municipality_is_refused(api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    assert (
        municipal_client(api_client, make_user)
        .post(URL, b"{}", content_type="application/fhir+json")
        .status_code
        == 403
    )
