"""The locust users of bench/deadline_burst.py (run by it; not on its own).

Readers: one page every 20-40 s each (home, challenge list with filters, a
challenge, dataset search with a query, a dataset, the solution gallery, the
event page). Team leads (one per team): save the solution one to three times
(creating it first when the team has no draft yet) and submit it, all within
the last BURST_WINDOW seconds before BURST_DEADLINE, more of it near the end,
as people do.

Both behave like a browser behind the site's TLS-terminating proxy: the
session cookie is planted (pre-authenticated sessions made by the set-up),
every request says ``X-Forwarded-Proto: https`` and comes on its own
connection (``Connection: close``, as nginx speaks to its upstream by
default), form posts carry the CSRF
token read from the form page plus ``Origin`` and ``Referer``.

Environment (set by deadline_burst.py): BURST_DATA (the set-up's JSON),
BURST_RESULTS (where the raw figures go), BURST_RAMP (seconds; requests that
start before the ramp-up ends are left out of the latencies, not of the
failures), BURST_DEADLINE (epoch seconds), BURST_WINDOW, BURST_SKIP_PAGES.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from http.cookiejar import Cookie, DefaultCookiePolicy
from typing import Any
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, between, constant, events, task

with open(os.environ["BURST_DATA"], encoding="utf-8") as _data:
    DATA: dict[str, Any] = json.load(_data)
RAMP = float(os.environ.get("BURST_RAMP", "0"))
DEADLINE = float(os.environ.get("BURST_DEADLINE", "0") or 0)
WINDOW = float(os.environ.get("BURST_WINDOW", "300"))
SKIP = set(filter(None, os.environ.get("BURST_SKIP_PAGES", "").split(",")))
RESULTS = os.environ["BURST_RESULTS"]
# As the site's proxy (nginx by default) talks to gunicorn: one connection per
# request. 7,400 kept-alive connections would each hold one of gunicorn's
# worker connection slots while their reader reads, and the rest would queue.
PROXY = {"X-Forwarded-Proto": "https", "Connection": "close"}

_readers = itertools.count()
_teams = itertools.count()
_state: dict[str, Any] = {"t0": time.time(), "cpu0": None, "stopped": None}
_samples: dict[str, list[float]] = defaultdict(list)
_per_page: dict[str, list[float]] = defaultdict(list)
_failures: dict[str, int] = defaultdict(int)
_examples: list[str] = []
_counters: dict[str, int] = defaultdict(int)
TIMELINE_STEP = 30  # seconds
_timeline: dict[int, list[float]] = defaultdict(list)  # step -> ms (ramp-up too)
_timeline_failures: dict[int, int] = defaultdict(int)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


@events.test_start.add_listener
def _on_start(environment: Any, **kw: Any) -> None:
    _state["t0"] = time.time()

    def after_ramp() -> None:
        gevent.sleep(RAMP)
        _state["cpu0"] = _cpu()

    gevent.spawn(after_ramp)


@events.request.add_listener
def _on_request(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    exception: Any = None,
    start_time: float | None = None,
    **kw: Any,
) -> None:
    _counters["requests (all, ramp-up too)"] += 1
    started = start_time if start_time is not None else time.time() - response_time / 1000
    step = int((started - _state["t0"]) // TIMELINE_STEP)
    if exception is not None:
        _failures[name] += 1
        _timeline_failures[step] += 1
        if len(_examples) < 20:
            _examples.append(f"{name}: {str(exception)[:300]}")
        return
    _timeline[step].append(response_time)
    if started >= _state["t0"] + RAMP:
        _samples[name.split(" ", 1)[0]].append(response_time)
        _per_page[name].append(response_time)


@events.quitting.add_listener
def _on_quit(environment: Any, **kw: Any) -> None:
    now = time.time()
    measured = now - (_state["t0"] + RAMP)
    cpu0 = _state["cpu0"]
    with open(RESULTS, "w", encoding="utf-8") as out:
        json.dump(
            {
                "samples": _samples,
                "per_page": _per_page,
                "failures": _failures,
                "failure_examples": _examples,
                "timeline": {
                    str(step * TIMELINE_STEP): [
                        len(times),
                        sorted(times)[max(0, -(-95 * len(times) // 100) - 1)] if times else 0,
                        _timeline_failures.get(step, 0),
                    ]
                    for step, times in sorted(_timeline.items())
                },
                "counters": _counters,
                "measured_seconds": measured,
                "cpu_seconds_after_ramp": (_cpu() - cpu0) if cpu0 is not None else 0.0,
            },
            out,
        )


class BehindTlsProxy(DefaultCookiePolicy):
    """The browser speaks https to the site's proxy, so it sends the site's
    Secure cookies (session, CSRF); locust speaks http to gunicorn."""

    def return_ok_secure(self, cookie: Cookie, request: Any) -> bool:
        return True


def plant_session(user: FastHttpUser, key: str) -> None:
    host = urlsplit(user.host).hostname or "127.0.0.1"
    user.client.cookiejar.set_policy(BehindTlsProxy())
    user.client.cookiejar.set_cookie(
        Cookie(
            0,
            "sessionid",
            key,
            None,
            False,
            host,
            False,
            False,
            "/",
            True,
            True,
            None,
            False,
            None,
            None,
            {"HttpOnly": ""},
        )
    )


# --- readers -------------------------------------------------------------------------


class Reader(FastHttpUser):
    wait_time = between(20, 40)

    def on_start(self) -> None:
        plant_session(self, DATA["readers"][next(_readers) % len(DATA["readers"])])
        gevent.sleep(random.uniform(0, 20))  # people do not all arrive at once

    def get(self, name: str, path: str) -> None:
        with self.client.get(path, headers=PROXY, name=f"browse {name}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
            _counters[f"page cache {r.headers.get('X-Page-Cache') or 'not used'}"] += 1

    @task(15)
    def home(self) -> None:
        self.get("home", "/sv/")

    @task(20)
    def challenges(self) -> None:
        if "challenges" in SKIP:
            return
        params: list[tuple[str, str]] = []
        r = random.random()
        if r < 0.35:
            params.append(("theme", random.choice(DATA["themes"])))
        elif r < 0.55:
            params.append(("q", random.choice(DATA["challenge_queries"])))
        elif r < 0.75:
            params.append(("event", DATA["event"]))
            params.append(("level", random.choice(["national", "regional", "local"])))
        elif r < 0.85:
            params.append(("organisation", random.choice(DATA["organisations"])))
        if random.random() < 0.2:
            params.append(("page", "2"))
        self.get("challenges", "/sv/challenges/" + ("?" + urlencode(params) if params else ""))

    @task(25)
    def challenge(self) -> None:
        if "challenge" not in SKIP:
            self.get("challenge", f"/sv/challenges/{random.choice(DATA['challenges'])}/")

    @task(15)
    def datasets(self) -> None:
        if "datasets" in SKIP:
            return
        params = [("q", random.choice(DATA["queries"]))]
        if random.random() < 0.3:
            params.append(("theme", random.choice(["ENVI", "TRAN", "SOCI", "HEAL", "EDUC"])))
        self.get("datasets", "/sv/datasets/?" + urlencode(params))

    @task(15)
    def dataset(self) -> None:
        if "dataset" not in SKIP:
            self.get("dataset", f"/sv/datasets/{random.choice(DATA['datasets'])}/")

    @task(5)
    def solutions(self) -> None:
        if "solutions" not in SKIP:
            self.get("solutions", "/sv/solutions/")

    @task(5)
    def event(self) -> None:
        if "event" not in SKIP:
            self.get("event", f"/sv/events/{DATA['event']}/")


# --- team leads ------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The forms of a page, with what a browser would send for each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, bool] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            self._form["fields"].append(
                (a["name"], a.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a)
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"].append((self._select[0], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def solution_form(html: str) -> dict[str, Any] | None:
    for form in forms_of(html):
        names = {name for name, _ in form["fields"]}
        if "title" in names and "csrfmiddlewaretoken" in names:
            return form
    return None


def any_token(html: str) -> str | None:
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return unescape(m.group(1)) if m else None


def page_errors(html: str) -> str:
    found = re.findall(r'class="[^"]*(?:errorlist|message-error)[^"]*"[^>]*>(.*?)</', html, re.S)
    text = " | ".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found)
    return text[:300] or "no error text found"


LICENCES = ["MIT", "Apache-2.0", "EUPL-1.2", "CC-BY-4.0"]


class TeamLead(FastHttpUser):
    wait_time = constant(1)

    def on_start(self) -> None:
        i = next(_teams)
        self.team = DATA["teams"][i % len(DATA["teams"])]
        plant_session(self, self.team["session"])
        self.origin = "https://" + (urlsplit(self.host).netloc or "127.0.0.1")
        self.done = False

    def post(self, name: str, path: str, referer: str, fields: list[tuple[str, Any]]) -> Any:
        headers = dict(PROXY)
        headers.update(
            {
                "Origin": self.origin,
                "Referer": self.origin + referer,
                "Content-Type": "application/x-www-form-urlencoded",
            }
        )
        return self.client.post(
            path,
            data=urlencode(fields, doseq=True),
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    def get_page(self, name: str, path: str, *, after: str = "", form: bool = False) -> str | None:
        """GET a page; ``after`` an action, the page must not show an error
        message about it (the views redirect to the same page either way);
        with ``form``, it must hold the solution form."""
        with self.client.get(path, headers=PROXY, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
                return None
            if after and "message-error" in r.text:
                r.failure(f"{after} refused: {page_errors(r.text)}")
                _counters[f"{after} refused"] += 1
                return None
            if form and solution_form(r.text) is None:
                where = getattr(r, "url", path)
                r.failure(f"no solution form on {where}: {page_errors(r.text)}")
                return None
            return r.text

    def filled(self, form: dict[str, Any], n: int) -> list[tuple[str, Any]]:
        """The form as the browser would send it, with the team's edits."""
        ours = {
            "title": f"{self.team['pk']}: Öppna data i vardagen (v{n})",
            "summary": f"Sammanfattning, version {n}. " * 5,
            "problem": "Problemet vi löser. " * (10 + n),
            "target_group": "Invånare i kommunen",
            "other_data": "Egen enkät" if n % 2 else "",
            "repository_url": f"https://example.org/team{self.team['pk']}/repo",
            "demo_url": f"https://example.org/team{self.team['pk']}/demo",
            "video_url": "",
            "licence": random.choice(LICENCES),
        }
        fields = [(k, v) for k, v in form["fields"] if k not in ours and k != "datasets"]
        fields += list(ours.items())
        offered = DATA["linked"].get(str(self.team["challenge"])) or DATA["datasets"]
        picks = random.sample(offered, k=min(2, len(offered)))
        fields += [("datasets", str(pk)) for pk in picks]
        return fields

    def expect_redirect(self, r: Any, what: str) -> str | None:
        if r.status_code in (302, 303):
            location = r.headers.get("Location") or ""
            r.success()
            return urlsplit(location).path or None
        if r.status_code == 200:
            r.failure(f"{what} not accepted: {page_errors(r.text)}")
        else:
            r.failure(f"{what}: status {r.status_code}")
        return None

    @task
    def deadline_rush(self) -> None:
        if self.done:
            gevent.sleep(30)
            return
        self.done = True
        start = DEADLINE - WINDOW
        margin = max(10.0, WINDOW * 0.04)
        last = DEADLINE - margin  # the submit lands before the deadline, with a margin
        created = start + random.uniform(0, 0.25) * WINDOW
        n = random.randint(1, 3)
        # The submit leans towards the deadline (sqrt(u): the density rises
        # linearly, twice the average at the end); the saves come before it.
        submit_at = created + (last - created) * random.random() ** 0.5
        submit_at = min(last, max(submit_at, created + 10))
        saves = sorted(random.uniform(created, submit_at - 3) for _ in range(n))

        gevent.sleep(max(0.0, created - time.time()))
        html: str | None = None
        if self.team.get("solution"):
            pk = str(self.team["solution"])  # started during the hackathon
        else:  # a late team starts its solution now
            new = f"/sv/solutions/new/{self.team['pk']}/"
            html = self.get_page("form create", new, form=True)
            form = solution_form(html) if html else None
            if form is None:
                return
            with self.post("save create", new, new, self.filled(form, 0)) as r:
                where = self.expect_redirect(r, "create")
            if where is None:
                return
            _counters["created"] += 1
            m = re.search(r"/solutions/(\d+)/", where)
            if not m:
                return
            pk = m.group(1)
            # The browser follows to the edit form; the first save is made from it.
            html = self.get_page("form after-create", where, after="create", form=True)
        edit = f"/sv/solutions/{pk}/edit/"
        # Each (later) save from the form opened again from the solution's page.
        for k, at in enumerate(saves, start=1):
            gevent.sleep(max(0.0, at - time.time()))
            if k > 1 or html is None:
                html = self.get_page("form edit", edit, form=True)
            form = solution_form(html) if html else None
            if form is None:
                return
            with self.post("save edit", edit, edit, self.filled(form, k)) as r:
                where = self.expect_redirect(r, "save")
            if where is None:
                continue
            if self.get_page("form after-save", where, after="save") is not None:
                _counters["saved"] += 1
        gevent.sleep(max(0.0, submit_at - time.time()))
        token = any_token(self.get_page("form edit", edit) or "")
        if token is None:
            return
        submit = f"/sv/solutions/{pk}/submit/"
        with self.post("submit", submit, edit, [("csrfmiddlewaretoken", token)]) as r:
            where = self.expect_redirect(r, "submit")
        if where is None:
            return
        if time.time() > DEADLINE:
            _counters["answered after the deadline"] += 1
        if where.rstrip("/").endswith("/edit"):
            _counters["submit refused"] += 1  # sent back to the form: fields missing
        if self.get_page("form after-submit", where, after="submit") is not None:
            _counters["submitted"] += 1


# Exactly as many of each as the bench asks for (-u is their sum).
Reader.fixed_count = int(os.environ.get("BURST_READERS", "0"))
TeamLead.fixed_count = int(os.environ.get("BURST_TEAMS", "0"))
