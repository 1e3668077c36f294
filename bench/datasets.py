"""The benchmark's two data sets: their databases, servers and users."""

import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTS = {"1M": 8077, "100k": 8078}
# The look-ups come from this many municipal nurses, in turn: each may make
# LOOKUP_RATE_PER_MINUTE (30) a minute. No minute of the measured runs holds more than 15 s of
# look-ups at one data set (their warm-up ends a minute before them), which 1,000 nurses allow
# up to 2,000 a second.
LOOKUP_USERS = 1000


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class DataSet:
    label: str
    database_url: str
    redis_url: str
    rows: int
    cookies: dict[str, str] | None = None

    @property
    def tokens_file(self) -> Path:
        """The API tokens of the municipal nurses who make the look-ups, one per line."""
        return ROOT / "var" / f"bench-tokens-{self.label}.txt"

    @property
    def port(self) -> int:
        return PORTS[self.label]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def using(data: DataSet) -> Iterator[None]:
    """Point this process's database connection at ``data``'s."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = data.database_url.rsplit("/", 1)[1]
    try:
        yield
    finally:
        connection.close()


def reset(data: DataSet) -> None:
    name = data.database_url.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(["redis-cli", "-u", data.redis_url, "flushdb"], check=True, capture_output=True)


def prepare(data: DataSet) -> dict[str, float]:
    """Migrate, seed the directory and the bench users, generate the rows, rebuild the
    summaries; the users' sessions are kept on ``data``, the look-up tokens in its file."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from knox.models import AuthToken

    from accounts.models import Role, User
    from bench.generate import generate, vacuum
    from contacts.demo import HERLEV_CARDIOLOGY, seed_directory
    from contacts.models import Ward

    say(f"Migrating the {data.label} database …")
    call_command("migrate", verbosity=0)
    seed_directory()
    ward = Ward.objects.get(sor_code=HERLEV_CARDIOLOGY)
    users = {
        "nurse": User.objects.create(username="bench_nurse", role=Role.WARD_NURSE, ward=ward),
        "municipal": User.objects.create(
            username="bench_municipal", role=Role.MUNICIPAL_NURSE, municipality_id="163"
        ),
        "risk": User.objects.create(username="bench_risk", role=Role.RISK_MANAGER, region_id=1084),
        "admin": User.objects.create(username="bench_admin", role=Role.ADMIN, is_superuser=True),
    }
    data.cookies = {}
    for key, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        data.cookies[key] = f"sessionid={session.session_key}"
    nurses = User.objects.bulk_create(
        User(username=f"bench_lookup_{i}", role=Role.MUNICIPAL_NURSE, municipality_id="163")
        for i in range(LOOKUP_USERS)
    )
    # Knox keeps only a token's hash: the token itself is known once, when it is made. A day,
    # not a shift, so that no token expires during a long run.
    tokens = [AuthToken.objects.create(user=nurse, expiry=timedelta(days=1))[1] for nurse in nurses]
    data.tokens_file.parent.mkdir(exist_ok=True)
    data.tokens_file.write_text("".join(f"{token}\n" for token in tokens))
    say(f"Generating {data.rows:,} discharges ({data.label}) …")
    seconds = generate(
        discharges=data.rows,
        reporter_id=users["admin"].pk,
        reader_ids=[nurse.pk for nurse in nurses],
        focus_ward_id=ward.pk,
        progress=say,
    ) + vacuum(progress=say)
    say(f"  generated in {seconds:.0f} s")
    say("Rebuilding the statistics' summary tables …")
    started = time.perf_counter()
    call_command("refresh_statistics", "--all", stdout=io.StringIO())
    summaries = time.perf_counter() - started
    say(f"  rebuilt in {summaries:.0f} s")
    return {"generate_s": seconds, "summaries_s": summaries}


def serve(data: DataSet, server_env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-w",
            "4",
            "-b",
            f"127.0.0.1:{data.port}",
            "--log-level",
            "warning",
            # Two servers run at once: both would claim the one default control socket.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            **server_env,
            "DATABASE_URL": data.database_url,
            "REDIS_URL": data.redis_url,
        },
    )
