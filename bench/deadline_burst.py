"""Deadline-burst benchmark: 7,400 participants read while 521 teams save and
submit their solutions in the last five minutes before a deadline, against
gunicorn + PostgreSQL on this machine (loopback only), driven by locust.

    .venv/bin/python bench/deadline_burst.py                    # 7,400 readers, 521 teams, ≤ 10 min
    .venv/bin/python bench/deadline_burst.py --minutes 3        # a quick check (shorter burst)
    .venv/bin/python bench/deadline_burst.py --users 2000 --teams 100 --workers 6
    .venv/bin/python bench/deadline_burst.py --worker-class gthread --workers 3 --threads 8

What it does:
1. creates a throwaway PostgreSQL database (--postgres, default
   postgres://postgres@127.0.0.1:5432/postgres: the server, trust auth) and
   drops it at the end, also after Ctrl-C or a failure;
2. migrates it, loads the demo (``hack365.demo.loader.load_demo``) and adds
   in bulk: an event whose submission deadline is set to fall at the end of
   the burst, --challenges published challenges in it, --users participant
   accounts with profiles and pre-authenticated sessions (rows written
   directly: it is a set-up, logins are not what is measured), and --teams
   teams of three on those challenges, each with a session for its lead;
   four teams in five have started their solution (a draft, made by the
   service as during the hackathon), the fifth starts it in the burst;
3. collects the static files and starts gunicorn (sync workers, one
   request at a time per process; bound to 127.0.0.1) with
   ``hack365.settings.production`` exactly as deployed: DEBUG off, secure
   cookies, HSTS, SSL redirect. Like a real deployment it sits
   behind a TLS-terminating proxy: locust sends ``X-Forwarded-Proto: https``
   (the production settings trust it) and an ``Origin`` like a browser does
   on a form post, so no security setting is switched off for the benchmark.
   The public page cache (hack365/core/pagecache.py) is on for 60 s
   (--page-cache; 0 switches it off): without it this machine renders about
   60 pages/s, a quarter of what 7,400 readers ask for, and the queue grows
   until every request times out. Locust sends every request on its own
   connection, as the proxy in front of gunicorn would. Sync workers,
   not threads: with 3 workers x 8 threads (gthread) the same load ended
   with p95 7-13 s and the machine not even busy (1.6 of 2 cores), as a
   thread back from a PostgreSQL or Redis round trip waits for the GIL
   behind the worker's busy threads (up to the 5 ms switch interval, each
   time); 10 sync processes answered the same load at p95 2.2 s with
   1.3 cores busy and 0 errors;
4. checks once that every page of the mix answers 200 (a page that does not
   exist yet is reported and left out of the mix);
5. a short *baseline*: the same readers without the teams (see
   ``run_baseline``), then the *burst*: readers (one page every 20-40 s each:
   home, challenge list with filters, a challenge, dataset search with a
   query, a dataset, the solution gallery, the event page) plus one locust
   user per team that saves its solution one to three times (GET the edit
   form for the CSRF token and version, POST, follow the redirect) and
   submits it — a team without a draft creates it first —, all in the last
   five minutes before the deadline, more of it near the end;
6. prints requests, failures, p50/p95/p99 per kind (browse, form = the team's
   form pages, save, submit) and overall, requests/s, the slowest pages, the
   CPU used by gunicorn, PostgreSQL and locust, and the goal lines.

With 2 cores, locust, gunicorn and PostgreSQL share the CPU: the CPU lines say
who used it. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("deadline_burst_locustfile.py")
GOAL_P95_MS = 500
KINDS = ("browse", "form", "save", "submit")
# The full run at --minutes 10 (seconds): ramp-up, burst, tail, baseline ramp + measure.
FULL = {"ramp": 90, "burst": 300, "tail": 30, "base_ramp": 60, "base_measure": 60}


# --- set-up, inside this process (Django) -------------------------------------------


def setup_django(database_url: str, static_root: Path, secret_key: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="hack365.settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(static_root.parent / "media"),
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def load_data(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """Demo + bench rows. Returns what the locust users need (written to ``out``)."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from hack365.accounts.models import Profile, User
    from hack365.catalog.models import ChallengeDataset, Dataset
    from hack365.challenges.models import Challenge, ChallengeStatus, Event, EventKind
    from hack365.challenges.services import challenge_search_text
    from hack365.core.models import DataTheme
    from hack365.demo.loader import load_demo
    from hack365.organizations.models import Level, Organization
    from hack365.teams.models import Team, TeamMembership, TeamRole

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"  migrated in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    load_demo()
    print(f"  demo loaded in {time.perf_counter() - t:.1f} s", flush=True)

    t = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.create(
            name="Deadline-burst (benchmark)",
            slug="deadline-burst",
            kind=EventKind.CRISIS,
            description="A weekend hackathon whose submission deadline is minutes away.",
            location="Online",
            registration_opens=now - timedelta(days=3),
            hacking_starts=now - timedelta(days=2),
            submission_deadline=now + timedelta(hours=2),  # set again right before the burst
            evaluation_ends=now + timedelta(days=3),
            results_at=now + timedelta(days=4),
        )
        orgs = list(Organization.objects.order_by("pk"))
        themes = list(DataTheme.objects.order_by("code"))
        levels = [Level.NATIONAL, Level.REGIONAL, Level.LOCAL]
        words = ["vård", "skola", "trafik", "klimat", "vatten", "energi", "omsorg", "kris"]
        challenges = Challenge.objects.bulk_create(
            Challenge(
                title=f"Utmaning {i}: {words[i % len(words)]} och öppna data",
                slug=f"burst-{i}",
                summary=f"Hur kan öppna data om {words[i % len(words)]} hjälpa invånarna?",
                problem="Beskrivning av problemet. " * 40,
                expected_benefit="Förväntad samhällsnytta. " * 20,
                target_group="Invånare och kommuner",
                level=levels[i % 3],
                owner=orgs[i % len(orgs)],
                event=event,
                status=ChallengeStatus.PUBLISHED,
                published_at=now - timedelta(minutes=i),
            )
            for i in range(args.challenges)
        )
        through = Challenge.themes.through
        through.objects.bulk_create(
            through(challenge_id=c.pk, datatheme_id=themes[(i + k) % len(themes)].pk)
            for i, c in enumerate(challenges)
            for k in range(2)
        )
        for c in Challenge.objects.filter(event=event).select_related("owner"):
            c.search_text = challenge_search_text(c)
            c.save(update_fields=["search_text"])
        # Each challenge links a few datasets, as need owners do; teams pick from them.
        pool = list(
            Dataset.objects.filter(withdrawn=False).order_by("pk").values_list("pk", flat=True)
        )
        linked = {
            c.pk: [pool[(7 * i + k) % len(pool)] for k in range(4)]
            for i, c in enumerate(challenges)
        }
        ChallengeDataset.objects.bulk_create(
            ChallengeDataset(challenge_id=c_pk, dataset_id=d_pk, note="Kan hjälpa")
            for c_pk, d_pks in linked.items()
            for d_pk in d_pks
        )

        password = make_password(secrets.token_urlsafe(16))  # one hash for all: no one logs in
        n_members = args.teams * 3
        users = User.objects.bulk_create(
            (
                User(
                    username=f"burst{i}",
                    email=f"burst{i}@bench.invalid",
                    password=password,
                    is_active=True,
                    date_joined=now,
                )
                for i in range(args.users + n_members)
            ),
            batch_size=2000,
        )
        Profile.objects.bulk_create(
            (Profile(user=u, display_name=f"Deltagare {u.username[5:]}") for u in users),
            batch_size=2000,
        )
        EmailAddress.objects.bulk_create(
            (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
            batch_size=2000,
        )
        readers, members = users[: args.users], users[args.users :]
        teams = Team.objects.bulk_create(
            Team(
                name=f"Team {i}",
                challenge=challenges[i % len(challenges)],
                description="Vi bygger något med öppna data.",
                created_by=members[3 * i],
            )
            for i in range(args.teams)
        )
        TeamMembership.objects.bulk_create(
            (
                TeamMembership(
                    team=team,
                    user=members[3 * i + k],
                    role=TeamRole.LEAD if k == 0 else TeamRole.MEMBER,
                )
                for i, team in enumerate(teams)
                for k in range(3)
            ),
            batch_size=2000,
        )

        # Pre-authenticated sessions, as django.contrib.auth.login() leaves them.
        store = SessionStore()
        expire = now + timedelta(days=1)
        auth_hash = users[0].get_session_auth_hash()  # the same password hash for all
        backend = "django.contrib.auth.backends.ModelBackend"

        # People logged in at different times: each session was last refreshed
        # (hack365/core/sessions.py) somewhere in the last refresh interval.
        every = int(getattr(settings, "SESSION_REFRESH_SECONDS", 300))
        cached: dict[str, dict[str, Any]] = {}

        def session_for(user: Any) -> Session:
            data = {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": backend,
                "_auth_user_hash": auth_hash,
                "_refreshed_at": int(time.time()) - random.randrange(every),
            }
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            cached[key] = data
            return Session(session_key=key, session_data=store.encode(data), expire_date=expire)

        reader_sessions = Session.objects.bulk_create(
            (session_for(u) for u in readers), batch_size=2000
        )
        team_sessions = Session.objects.bulk_create(
            (session_for(members[3 * i]) for i in range(len(teams))), batch_size=2000
        )
    if args.redis:
        # What the cached_db session engine writes at login: the session is read
        # from Redis, not from the database, on the first request too.
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX
        from django.core.cache.backends.redis import RedisCache

        redis_cache = RedisCache(args.redis, {})
        redis_cache.set_many({KEY_PREFIX + k: v for k, v in cached.items()}, timeout=86400)
        redis_cache.close()
    # Most teams started their solution during the hackathon; one in five
    # starts it in the last five minutes (see the locustfile).
    from hack365.submissions.services import solution_create

    drafts: dict[int, int] = {}
    for i, team in enumerate(teams):
        if i % 5:
            lead = members[3 * i]
            drafts[team.pk] = solution_create(user=lead, team=team, title=f"{team.name}: utkast").pk
    print(
        f"  {len(challenges)} challenges, {len(users)} accounts, {len(teams)} teams"
        f" ({len(drafts)} with a draft) in {time.perf_counter() - t:.1f} s",
        flush=True,
    )

    data = {
        "readers": [s.session_key for s in reader_sessions],
        "teams": [
            {
                "pk": team.pk,
                "session": s.session_key,
                "challenge": team.challenge_id,
                "solution": drafts.get(team.pk),
            }
            for team, s in zip(teams, team_sessions, strict=True)
        ],
        "challenges": list(
            Challenge.objects.filter(status=ChallengeStatus.PUBLISHED).values_list(
                "slug", flat=True
            )
        ),
        "datasets": pool,
        "linked": {str(k): v for k, v in linked.items()},
        "themes": [th.code for th in themes],
        "organisations": [o.slug for o in orgs],
        "event": event.slug,
        "events": list(Event.objects.values_list("slug", flat=True)),
        "queries": ["vatten", "trafik", "befolkning", "skola", "luft", "karta", "kommun"],
        "challenge_queries": words,
    }
    out.write_text(json.dumps(data), encoding="utf-8")
    return data


def set_deadline(at: float) -> None:
    from datetime import UTC, datetime

    from hack365.challenges.models import Event

    Event.objects.filter(slug="deadline-burst").update(
        submission_deadline=datetime.fromtimestamp(at, tz=UTC)
    )


def solutions_summary() -> dict[str, int]:
    """What the burst left in the database (counted straight from the tables)."""
    from django.apps import apps
    from django.db import connection

    counts: dict[str, int] = {}
    if not apps.is_installed("hack365.submissions"):
        return counts
    for model in apps.get_app_config("submissions").get_models():
        counts[model._meta.label] = model._default_manager.count()
        status = next((f for f in model._meta.fields if f.name == "status"), None)
        if status is not None:
            for row in model._default_manager.values("status").order_by().distinct():
                value = row["status"]
                counts[f"{model._meta.label} {value}"] = model._default_manager.filter(
                    status=value
                ).count()
    connection.close()
    return counts


# --- processes --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(base: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(base)
    return env


def start_gunicorn(
    args: argparse.Namespace, port: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    cmd = [
        str(BIN / "gunicorn"),
        "hack365.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(1 if args.worker_class == "sync" else args.threads),
        "--worker-class",
        args.worker_class,
        *(
            ["--worker-connections", str(args.worker_connections)]
            if args.worker_class == "gthread"
            else []
        ),
        "--backlog",
        "4096",
        "--timeout",
        "60",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=str(log.parent),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}); see {log}")
        try:
            fetch(port, "/sv/", None)
            return proc
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a: Any, **k: Any) -> None:
        return None


def fetch(port: int, path: str, session: str | None) -> tuple[int, str]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    req.add_header("X-Forwarded-Proto", "https")
    if session:
        req.add_header("Cookie", f"sessionid={session}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def preflight(port: int, data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """GET one of each page with a reader's (and a team lead's) session.
    Returns (pages missing from the mix, what the team half lacks)."""
    s = data["readers"][0]
    pages = {
        "home": "/sv/",
        "challenges": "/sv/challenges/?theme=" + data["themes"][0],
        "challenge": f"/sv/challenges/{data['challenges'][0]}/",
        "datasets": "/sv/datasets/?q=vatten",
        "dataset": f"/sv/datasets/{data['datasets'][0]}/",
        "solutions": "/sv/solutions/",
        "event": f"/sv/events/{data['event']}/",
    }
    missing = []
    for name, path in pages.items():
        status, _ = fetch(port, path, s)
        if status != 200:
            missing.append(f"{name} ({path}: {status})")
    team = data["teams"][0]
    lacks = []
    status, body = fetch(port, f"/sv/solutions/new/{team['pk']}/", team["session"])
    if status != 200:
        lacks.append(f"submissions:create GET /sv/solutions/new/{team['pk']}/ answers {status}")
    elif "csrfmiddlewaretoken" not in body:
        lacks.append("the create page has no form with a CSRF token")
    return missing, lacks


# --- CPU accounting ---------------------------------------------------------------------


def _ticks(pid: int, *, reaped: bool = False) -> int:
    """CPU ticks of ``pid``; with ``reaped``, plus those of its children that
    have exited (PostgreSQL's backends come and go with their connections)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        if reaped:
            ticks += int(fields[13]) + int(fields[14])  # cutime + cstime
        return ticks
    except (OSError, IndexError, ValueError):
        return 0


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    out = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids = (task / "children").read_text().split()
            for kid in kids:
                out.extend(_children(int(kid)))
    except OSError:
        pass
    return out


def _postgres_pids() -> list[int]:
    pids = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if (p / "comm").read_text().strip() == "postgres":
                    pids.append(int(p.name))
            except OSError:
                pass
    return pids


@dataclass
class CpuSample:
    when: float
    total: dict[str, int] = field(default_factory=dict)  # name -> ticks
    machine_busy: int = 0
    machine_all: int = 0


def cpu_sample(groups: dict[str, list[int]]) -> CpuSample:
    sample = CpuSample(time.monotonic())
    for name, roots in groups.items():
        if name == "postgres":  # every PostgreSQL process, other databases' too
            pids = _postgres_pids()
            roots = [p for p in pids if _ppid(p) not in pids]
        else:
            pids = [p for r in roots for p in _children(r)]
        sample.total[name] = sum(_ticks(p, reaped=p in roots) for p in pids)
    cpu = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = cpu[3] + cpu[4]
    sample.machine_all = sum(cpu[:8])
    sample.machine_busy = sample.machine_all - idle
    return sample


def cpu_report(a: CpuSample, b: CpuSample) -> str:
    hz = os.sysconf("SC_CLK_TCK")
    wall = max(b.when - a.when, 1e-9)
    parts = [f"{name} {(b.total[name] - a.total.get(name, 0)) / hz / wall:.2f}" for name in b.total]
    cores = os.cpu_count() or 1
    busy = (b.machine_busy - a.machine_busy) / max(b.machine_all - a.machine_all, 1) * cores
    # Processes that are not ours (other jobs on the machine) = busy - ours.
    ours = sum((b.total[n] - a.total.get(n, 0)) / hz / wall for n in b.total)
    return (
        f"CPU (cores busy, of {cores}): "
        + ", ".join(parts)
        + f"; whole machine {busy:.2f} (other processes {max(busy - ours, 0):.2f})"
    )


# --- locust runs --------------------------------------------------------------------------


@dataclass
class RunResult:
    samples: dict[str, list[float]]  # kind -> ms
    per_page: dict[str, list[float]]
    failures: dict[str, int]
    failure_examples: list[str]
    seconds: float
    cpu: str
    counters: dict[str, int]
    timeline: dict[str, list[float]]  # start second -> [answered, p95 ms, failures]
    kernel: str


def run_locust(
    *,
    name: str,
    port: int,
    data_file: Path,
    tmp: Path,
    readers: int,
    teams: int,
    ramp: float,
    run_time: float,
    env_extra: dict[str, str],
    gunicorn: subprocess.Popen[bytes],
) -> RunResult:
    results = tmp / f"{name}-results.json"
    users = readers + teams
    env = dict(os.environ)
    env.update(env_extra)
    env.update(
        BURST_DATA=str(data_file),
        BURST_RESULTS=str(results),
        BURST_READERS=str(readers),
        BURST_TEAMS=str(teams),
        BURST_RAMP=str(ramp),
        # locust's own users do not need the project's settings
        DJANGO_SETTINGS_MODULE="",
    )
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        f"{max(users / max(ramp, 1), 1):.1f}",
        "--run-time",
        f"{int(run_time)}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(tmp / name),
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        "Reader",
        *(["TeamLead"] if teams else []),
    ]
    log = tmp / f"{name}-locust.log"
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=str(tmp),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # CPU is measured after the ramp-up, over the steady part of the run
        # (locust measures its own: its ticks are gone once it has exited).
        tcp_before = tcp_counters()
        time.sleep(min(ramp, run_time))
        first = cpu_sample({"gunicorn": [gunicorn.pid], "postgres": []})
        proc.wait(timeout=run_time + 120)
        last = cpu_sample({"gunicorn": [gunicorn.pid], "postgres": []})
        tcp_after = tcp_counters()
    except BaseException:
        stop(proc)  # type: ignore[arg-type]
        raise
    seconds = time.monotonic() - started
    if not results.exists():
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"locust wrote no results; its log ends:\n{tail}")
    raw = json.loads(results.read_text())
    hz = os.sysconf("SC_CLK_TCK")
    first.total["locust"] = 0
    last.total["locust"] = round(raw.get("cpu_seconds_after_ramp", 0.0) * hz)
    return RunResult(
        samples=raw["samples"],
        per_page=raw["per_page"],
        failures=raw["failures"],
        failure_examples=raw["failure_examples"],
        seconds=raw.get("measured_seconds", seconds),
        cpu=cpu_report(first, last),
        counters=raw.get("counters", {}),
        timeline=raw.get("timeline", {}),
        kernel=", ".join(
            f"{name} {tcp_after.get(name, 0) - tcp_before.get(name, 0):,}" for name in TCP_COUNTERS
        ),
    )


TCP_COUNTERS = ("ListenOverflows", "TCPSynRetrans")


def tcp_counters() -> dict[str, int]:
    """The kernel's TCP counters (whole machine): ListenOverflows counts the
    connections dropped because gunicorn's accept queue was full, each costing
    the client a SYN retransmission (1 s, then 3 s, 7 s ...)."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return {}
    out: dict[str, int] = {}
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            out.update(zip(names.split()[1:], map(int, values.split()[1:]), strict=False))
    return out


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<28} {len(values):>8,}  p50 {pct(values, 50):7.0f}  p95 {pct(values, 95):7.0f}"
        f"  p99 {pct(values, 99):7.0f} ms"
    )


def report(title: str, r: RunResult, *, pages: bool = True) -> list[float]:
    every = [v for kind in KINDS for v in r.samples.get(kind, [])]
    counters = dict(r.counters)
    sent = counters.pop("requests (all, ramp-up too)", len(every))
    failed = sum(r.failures.values())
    print(f"\n{title}")
    print(
        f"  requests {sent:,} (ramp-up included), failures {failed:,};"
        f" after the ramp-up {len(every):,} answered, {len(every) / max(r.seconds, 1e-9):.1f}/s"
    )
    print(f"  {'':<28} {'requests':>8}")
    for kind in KINDS:
        if r.samples.get(kind):
            print(line(kind, r.samples[kind]))
    print(line("overall", every))
    if pages:
        slow = sorted(r.per_page.items(), key=lambda kv: -pct(kv[1], 95))
        print("  slowest pages (p95):")
        for page, values in slow[:6]:
            print("  " + line(page, values))
    if r.failures:
        print("  failures: " + ", ".join(f"{k}: {v}" for k, v in sorted(r.failures.items())))
        for example in r.failure_examples[:5]:
            print(f"    e.g. {example}")
    if counters:
        print("  counters: " + ", ".join(f"{k} {v}" for k, v in sorted(counters.items())))
    if r.timeline:
        steps = [
            f"{int(float(t))}s: {int(n):,} p95 {p95:.0f}" + (f" ({int(f)} failed)" if f else "")
            for t, (n, p95, f) in sorted(r.timeline.items(), key=lambda kv: float(kv[0]))
        ]
        print("  over time (answered, p95 ms per 30 s, ramp-up included):")
        for k in range(0, len(steps), 4):
            print("    " + "; ".join(steps[k : k + 4]))
    print(f"  kernel (TCP, whole machine): {r.kernel}")
    print(f"  {r.cpu}")
    return every


# --- main ---------------------------------------------------------------------------------


def admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def flush_redis(url: str) -> None:
    """Empty the benchmark's own Redis database (never db 0 by default)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--users", type=int, default=7400, help="participants reading (default 7,400)")
    ap.add_argument("--teams", type=int, default=521, help="teams saving and submitting (521)")
    ap.add_argument("--challenges", type=int, default=60, help="challenges of the event (60)")
    ap.add_argument("--minutes", type=float, default=10, help="cap on the load (both runs; 10)")
    ap.add_argument("--workers", type=int, default=10, help="gunicorn worker processes (10)")
    ap.add_argument(
        "--worker-class",
        choices=("sync", "gthread"),
        default="sync",
        help="gunicorn worker class (sync: one request at a time per process, as deployed;"
        " gthread: --threads per process)",
    )
    ap.add_argument("--threads", type=int, default=8, help="threads per gthread worker (8)")
    ap.add_argument(
        "--worker-connections",
        type=int,
        default=32,
        help="connections a worker takes in at once (32; gunicorn's default 1,000): the rest"
        " wait in the kernel's accept queue, which costs no CPU, instead of in the worker's"
        " main loop, which looks at each of them on every turn",
    )
    ap.add_argument(
        "--page-cache",
        type=int,
        default=60,
        metavar="SECONDS",
        help="PAGE_CACHE_SECONDS for gunicorn (hack365/core/pagecache.py; 0: off; 60)",
    )
    ap.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"),
        help="REDIS_URL for gunicorn: the shared cache and cached sessions, as in production"
        " (a database of its own, emptied before and after; '' for the database cache)",
    )
    ap.add_argument("--no-baseline", action="store_true", help="skip the readers-only baseline")
    ap.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to create the throwaway database on",
    )
    ap.add_argument("--keep", action="store_true", help="keep the database and files (debugging)")
    args = ap.parse_args()

    import psycopg

    scale = min(
        1.0,
        args.minutes
        * 60
        / (
            sum(FULL.values())
            if not args.no_baseline
            else FULL["ramp"] + FULL["burst"] + FULL["tail"]
        ),
    )
    t = {k: max(10.0, v * scale) for k, v in FULL.items()}
    dbname = f"hack365_burst_{os.getpid()}"
    server = admin_url(args.postgres)
    database_url = urlunsplit(urlsplit(args.postgres)._replace(path=f"/{dbname}"))
    tmp = Path(tempfile.mkdtemp(prefix="hack365-burst-"))
    secret_key = secrets.token_urlsafe(64)
    gunicorn: subprocess.Popen[bytes] | None = None

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    print(f"database {dbname} created; files in {tmp}", flush=True)
    try:
        setup_django(database_url, tmp / "static", secret_key)
        from django.core.management import call_command
        from django.db import connection

        data_file = tmp / "data.json"
        if args.redis:
            flush_redis(args.redis)
        print("set-up:", flush=True)
        data = load_data(args, data_file)
        started = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"  static files collected in {time.perf_counter() - started:.1f} s", flush=True)
        connection.close()

        port = free_port()
        env = server_env(
            {
                "DJANGO_SETTINGS_MODULE": "hack365.settings.production",
                "DATABASE_URL": database_url,
                "SECRET_KEY": secret_key,
                "ALLOWED_HOSTS": "127.0.0.1",
                "STATIC_ROOT": str(tmp / "static"),
                "MEDIA_ROOT": str(tmp / "media"),
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT / "src"),
                "PAGE_CACHE_SECONDS": str(args.page_cache),
            }
        )
        env.pop("REDIS_URL", None)
        if args.redis:
            env["REDIS_URL"] = args.redis
        gunicorn = start_gunicorn(args, port, env, tmp / "gunicorn.log")
        print(
            f"gunicorn on 127.0.0.1:{port}: {args.workers} "
            + (
                "sync workers (one request at a time each),"
                if args.worker_class == "sync"
                else f"workers x {args.threads} threads"
                f" (gthread, {args.worker_connections} connections each),"
            )
            + " hack365.settings.production, DEBUG off,"
            f" cache {'Redis' if args.redis else 'database'}, page cache"
            f" {f'{args.page_cache} s' if args.page_cache > 0 else 'off'}",
            flush=True,
        )
        missing, lacks = preflight(port, data)
        for page in missing:
            print(f"  page left out of the mix (not 200): {page}", flush=True)
        teams = args.teams
        if lacks:
            print("  the team half cannot run: " + "; ".join(lacks), flush=True)
            teams = 0
        skip = ",".join(p.split(" ")[0] for p in missing)
        load = os.getloadavg()
        print(f"load average before the runs: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

        baseline: RunResult | None = None
        if not args.no_baseline:
            print(
                f"\nbaseline: {args.users:,} readers, no teams: ramp-up {t['base_ramp']:.0f} s,"
                f" measured {t['base_measure']:.0f} s",
                flush=True,
            )
            baseline = run_locust(
                name="baseline",
                port=port,
                data_file=data_file,
                tmp=tmp,
                readers=args.users,
                teams=0,
                ramp=t["base_ramp"],
                run_time=t["base_ramp"] + t["base_measure"],
                env_extra={"BURST_SKIP_PAGES": skip, "BURST_DEADLINE": "0"},
                gunicorn=gunicorn,
            )
            # A fresh server for the burst: requests the baseline's users left
            # queued (an overloaded server keeps working on them) must not count.
            stop(gunicorn)
            gunicorn = start_gunicorn(args, port, env, tmp / "gunicorn.log")
        # The deadline: the end of the burst, which starts when the ramp-up ends.
        deadline = time.time() + t["ramp"] + t["burst"]
        set_deadline(deadline)
        connection.close()
        print(
            f"\nburst: {args.users:,} readers + {teams} teams; ramp-up {t['ramp']:.0f} s, burst"
            f" {t['burst']:.0f} s up to the deadline, tail {t['tail']:.0f} s",
            flush=True,
        )
        burst = run_locust(
            name="burst",
            port=port,
            data_file=data_file,
            tmp=tmp,
            readers=args.users,
            teams=teams,
            ramp=t["ramp"],
            run_time=t["ramp"] + t["burst"] + t["tail"],
            env_extra={
                "BURST_SKIP_PAGES": skip,
                "BURST_DEADLINE": repr(deadline),
                "BURST_WINDOW": repr(t["burst"]),
            },
            gunicorn=gunicorn,
        )

        print("\n=== deadline burst ===")
        if baseline is not None:
            report("baseline (readers only, after ramp-up):", baseline)
        every = report("burst (readers + teams, after ramp-up):", burst)
        counts = solutions_summary()
        if counts:
            print(
                "  in the database afterwards: " + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        errors = sum(burst.failures.values())
        p95 = pct(every, 95)
        if baseline is not None:
            b = pct(baseline.samples.get("browse", []), 95)
            r = pct(burst.samples.get("browse", []), 95)
            # What the deadline burst costs the people who only read: their p95
            # with the teams saving and submitting, over their p95 without.
            print(
                f"\nbaseline ratio: reader p95 in the burst / without it = {r:.0f} / {b:.0f} ms"
                f" = {r / b if b else float('nan'):.2f}x"
            )
        if lacks:
            print("NOT MEASURED: the team half (" + "; ".join(lacks) + ")")
        print(f"goal 0 errors: {'met' if errors == 0 else 'not met'} ({errors} errors)")
        print(
            f"goal p95 < {GOAL_P95_MS} ms: {'met' if p95 < GOAL_P95_MS else 'not met'}"
            f" (p95 {p95:.0f} ms)"
        )
        if missing:
            print("pages not in the mix: " + ", ".join(missing))
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        stop(gunicorn)
        if args.redis and not args.keep:
            flush_redis(args.redis)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up yet
            pass
        if args.keep:
            print(f"kept: database {dbname}, files in {tmp}")
        else:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            shutil.rmtree(tmp, ignore_errors=True)
            print(f"database {dbname} dropped")


if __name__ == "__main__":
    sys.exit(main())
