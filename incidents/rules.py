"""The case workflow of an incident report, as data (no ORM)."""

RECEIVED, IN_REVIEW, CLOSED, REJECTED, TRANSFERRED = (
    "received",
    "in_review",
    "closed",
    "rejected",
    "transferred",
)

# received → in_review → closed, or rejected / transferred from either open state.
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({IN_REVIEW, REJECTED, TRANSFERRED}),
    IN_REVIEW: frozenset({CLOSED, REJECTED, TRANSFERRED}),
    CLOSED: frozenset(),
    REJECTED: frozenset(),
    TRANSFERRED: frozenset(),
}

OPEN = frozenset({RECEIVED, IN_REVIEW})
HOSPITAL_SIDE = frozenset({"ward", "hospital"})


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_cross_sector(place_kinds: set[str]) -> bool:
    """Both a hospital-side and a municipal place are involved (tværsektoriel)."""
    return bool(place_kinds & HOSPITAL_SIDE) and "municipality" in place_kinds
