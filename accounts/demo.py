"""The demo accounts of API.md, all with the password ``handover-demo``."""

from accounts.models import Role, User
from contacts.demo import AARHUS_CARDIOLOGY, HERLEV_CARDIOLOGY
from contacts.models import Municipality, Region, Ward

DEMO_PASSWORD = "handover-demo"  # noqa: S105 - the documented demo password, demo only

# username → (role, first name, last name, membership)
ACCOUNTS: dict[str, tuple[str, str, str, dict[str, str | int]]] = {
    "ward_nurse": (Role.WARD_NURSE, "Anne", "Sørensen", {"ward_sor": HERLEV_CARDIOLOGY}),
    "ward_doctor": (Role.WARD_DOCTOR, "Peter", "Nielsen", {"ward_sor": HERLEV_CARDIOLOGY}),
    "ward_nurse_aarhus": (Role.WARD_NURSE, "Lise", "Jensen", {"ward_sor": AARHUS_CARDIOLOGY}),
    "municipal_nurse": (Role.MUNICIPAL_NURSE, "Karen", "Madsen", {"municipality": "101"}),
    "municipal_nurse_herlev": (
        Role.MUNICIPAL_NURSE,
        "Susanne",
        "Berg",
        {"municipality": "163"},
    ),
    "municipal_nurse_aarhus": (
        Role.MUNICIPAL_NURSE,
        "Birgitte",
        "Poulsen",
        {"municipality": "751"},
    ),
    # A general practice in Herlev: it looks up its region's citizens, a purpose with each.
    "gp_herlev": (Role.GP, "Mette", "Holm", {"municipality": "163"}),
    "akuttelefon_1813": (Role.ACUTE_LINE, "Jonas", "Friis", {"region": 1084}),
    "risk_manager": (Role.RISK_MANAGER, "Thomas", "Krogh", {"region": 1084}),
    "admin": (Role.ADMIN, "Admin", "Istrator", {}),
}


def seed_accounts() -> dict[str, User]:
    users = {}
    for username, (role, first, last, membership) in ACCOUNTS.items():
        defaults: dict[str, object] = {
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.example.dk",
            "ward": None,
            "hospital": None,
            "municipality": None,
            "region": None,
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
        }
        if "ward_sor" in membership:
            defaults["ward"] = Ward.objects.get(sor_code=membership["ward_sor"])
        if "municipality" in membership:
            defaults["municipality"] = Municipality.objects.get(code=membership["municipality"])
        if "region" in membership:
            defaults["region"] = Region.objects.get(code=int(membership["region"]))
        user, created = User.objects.update_or_create(username=username, defaults=defaults)
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    return users
