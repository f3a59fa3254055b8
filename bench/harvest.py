"""Harvest benchmark: N synthetic DCAT-AP-SE datasets, end to end (parse +
map + store), on SQLite and on PostgreSQL, with a naive baseline in the same run.

    .venv/bin/python bench/harvest.py 100000                       # SQLite only
    .venv/bin/python bench/harvest.py 100000 --postgres postgres://postgres@127.0.0.1:5432/postgres
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/harvest.py 100000

Each dataset is a DCAT-AP-SE 3.0.1 dataset with the mandatory and most
recommended properties (two titles, two descriptions, three keywords,
publisher, theme, dates, landing page, access rights, spatial, contact point,
a period of time, one distribution with format and licence): about 27 triples.
The files are written once in a temporary directory, in Turtle and in
N-Triples (with other dataset IRIs, so that both create N datasets).

For each database a child process sets up Django itself with a throwaway
database (a temporary SQLite file in WAL mode; a new PostgreSQL database
created on the given server and dropped at the end), migrates it, and times:
1. harvesting the Turtle file (N created),
2. harvesting it again (N unchanged: no row written),
3. harvesting the N-Triples file (N created),
4. the naive baseline on a smaller sample (--baseline, default 2,000):
   rdflib ``Graph.parse`` and one ORM ``save()`` per dataset, distribution
   and theme, extrapolated per dataset.
Receivers of ``datasets_changed`` (the search index) are disconnected while
timing, unless --with-signals is given: the figure is the harvester's.
Documents of 8 MB or more are parsed by a forked process while the harvester
groups the triples, and harvests of 20,000 datasets or more map in two forked
processes while the harvester stores (CATALOG_HARVEST_PARALLEL_FROM=0 in the
environment turns the mappers off); the CPU figure adds every process. Run it on a quiet machine: with every
core busy, wall-clock figures halve.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATE = 5_000
GOAL_RATIO = 8

PUBLISHERS = [
    ("SMHI", "2021002114"),
    ("Statistiska centralbyrån", "2021000043"),
    ("Lantmäteriet", "2021000621"),
    ("Trafikverket", "2021006545"),
    ("Skogsstyrelsen", "2021000605"),
    ("Region Västerbotten", "2321000222"),
    ("Umeå kommun", "2120002536"),
]
WORDS = [
    "skog",
    "vatten",
    "luft",
    "trafik",
    "befolkning",
    "väder",
    "karta",
    "statistik",
    "bibliotek",
    "skola",
    "vård",
    "buss",
    "cykel",
    "energi",
    "miljö",
    "hav",
    "sjö",
    "älv",
    "kommun",
    "region",
    "laddstolpe",
    "parkering",
    "elev",
    "avfall",
]
THEMES = ["ENVI", "TRAN", "SOCI", "ECON", "EDUC", "HEAL", "AGRI", "GOVE", "REGI", "ENER"]
FORMATS = [("text/csv", "csv"), ("application/json", "json"), ("application/xml", "xml")]
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def generate(n: int, path: Path, *, base: str, seed: int = 365) -> None:
    """Write n DCAT-AP-SE datasets as Turtle."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(PREFIXES)
        for name, orgnr in PUBLISHERS:
            out.write(
                f'<http://dataportal.se/organisation/SE{orgnr}> a foaf:Agent ; foaf:name "{name}"@sv ;'
                f' dct:identifier "{orgnr}" ;'
                " dct:type <http://purl.org/adms/publishertype/NationalAuthority> .\n"
            )
        out.write(f'<{base}catalog> a dcat:Catalog ; dct:title "Syntetisk katalog"@sv .\n')
        for i in range(n):
            w = rng.sample(WORDS, 3)
            orgnr = PUBLISHERS[i % len(PUBLISHERS)][1]
            media, ext = FORMATS[i % len(FORMATS)]
            d = f"{base}dataset/{i}"
            out.write(
                f"""<{base}catalog> dcat:dataset <{d}> .
<{d}> a dcat:Dataset ;
 dct:title "{w[0].capitalize()} och {w[1]} {i}"@sv , "{w[0]} and {w[1]} {i}"@en ;
 dct:description "Data om {w[0]}, {w[1]} och {w[2]} i Sverige, nummer {i}."@sv , "Data about {w[0]} {i}."@en ;
 dct:publisher <http://dataportal.se/organisation/SE{orgnr}> ;
 dcat:keyword "{w[0]}"@sv , "{w[1]}"@sv , "{w[2]}"@sv ;
 dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{THEMES[i % len(THEMES)]}> ;
 dct:issued "2020-01-{1 + i % 28:02d}"^^xsd:date ; dct:modified "2024-03-{1 + i % 28:02d}T10:00:00Z"^^xsd:dateTime ;
 dcat:landingPage <{base}page/{i}> ;
 dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
 dct:spatial <http://sws.geonames.org/2661886> ;
 dcat:contactPoint <{base}contact/{i % 50}> ;
 dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2010-01-01"^^xsd:date ] ;
 dcat:distribution <{d}/distribution/1> .
<{d}/distribution/1> a dcat:Distribution ; dct:title "{ext.upper()}-fil"@sv ;
 dcat:accessURL <{base}data/{i}> ; dcat:downloadURL <{base}data/{i}.{ext}> ;
 dct:format "{media}" ; dct:license <http://creativecommons.org/licenses/by/4.0/> ;
 dcatap:availability <http://publications.europa.eu/resource/authority/planned-availability/STABLE> .
"""
            )
        for c in range(50):
            out.write(
                f'<{base}contact/{c}> a vcard:Organization ; vcard:fn "Kontakt {c}" ;'
                f" vcard:hasEmail <mailto:data{c}@example.se> .\n"
            )


def to_ntriples(source: Path, target: Path) -> None:
    import pyoxigraph as ox

    with target.open("wb") as out:
        ox.serialize(
            ox.parse(path=str(source), format=ox.RdfFormat.TURTLE), out, ox.RdfFormat.N_TRIPLES
        )


# --- the child: one database ------------------------------------------------------------


def _setup_django(backend: str, workdir: Path, postgres_url: str) -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "hack365.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["HACK365_HOME"] = str(workdir)
    os.environ["LOG_LEVEL"] = "WARNING"
    # The N-Triples file of 100,000 datasets is ~360 MB, over the default 200 MB cap.
    os.environ["CATALOG_HARVEST_MAX_BYTES"] = str(4 * 1024**3)
    dropme = ""
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    else:
        import psycopg

        name = f"hack365_bench_harvest_{os.getpid()}"
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(postgres_url)
        os.environ["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
        dropme = name
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return dropme


def _naive(path: Path) -> float:
    """rdflib Graph.parse, then one ORM save per object. Returns seconds."""
    import rdflib
    from django.db import transaction
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    from hack365.catalog.models import Dataset, Distribution, Publisher
    from hack365.core.models import DataTheme

    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(str(path), format="turtle")

    def texts(s: object, p: object) -> dict[str, str]:
        return {(o.language or ""): str(o) for o in graph.objects(s, p)}  # type: ignore[attr-defined]

    for s in graph.subjects(RDF.type, DCAT.Dataset):
        with transaction.atomic():
            publisher = None
            p = graph.value(s, DCTERMS.publisher)
            if p is not None:
                publisher, _ = Publisher.objects.get_or_create(
                    iri=str(p), defaults={"name": texts(p, FOAF.name)}
                )
            dataset, _ = Dataset.objects.update_or_create(
                key=str(s),
                defaults={
                    "iri": str(s),
                    "title": texts(s, DCTERMS.title),
                    "description": texts(s, DCTERMS.description),
                    "keywords": {"sv": sorted(str(k) for k in graph.objects(s, DCAT.keyword))},
                    "publisher": publisher,
                    "license_uri": "",
                    "landing_page": str(graph.value(s, DCAT.landingPage) or ""),
                },
            )
            for t in graph.objects(s, DCAT.theme):
                theme = DataTheme.objects.filter(code=str(t).rsplit("/", 1)[-1]).first()
                if theme:
                    dataset.themes.add(theme)
            for d in graph.objects(s, DCAT.distribution):
                Distribution.objects.create(
                    dataset=dataset,
                    iri=str(d),
                    access_url=str(graph.value(d, DCAT.accessURL) or ""),
                    download_url=str(graph.value(d, DCAT.downloadURL) or ""),
                    format=str(graph.value(d, DCTERMS.format) or ""),
                    license_uri=str(graph.value(d, DCTERMS.license) or ""),
                )
    return time.perf_counter() - started


def child(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir)
    dropme = _setup_django(args.backend, workdir, args.postgres or "")
    try:
        from django.db import connection

        from hack365.catalog.models import Dataset, HarvestJob
        from hack365.catalog.services import harvest_job_start
        from hack365.catalog.signals import datasets_changed

        if not args.with_signals:
            datasets_changed.receivers = []
            datasets_changed.sender_receivers_cache.clear()
        results: dict[str, object] = {"backend": args.backend, "vendor": connection.vendor}

        cpu: dict[str, float] = {}

        def harvest(path: Path) -> tuple[float, HarvestJob]:
            started = time.perf_counter()
            before = os.times()
            job = harvest_job_start(user=None, file_path=str(path), enqueue=False)
            seconds = time.perf_counter() - started
            after = os.times()
            cpu["last"] = (
                after.user + after.system + after.children_user + after.children_system
            ) - (before.user + before.system + before.children_user + before.children_system)
            if job.status != "succeeded":
                raise SystemExit(f"harvest failed: {job.error}")
            return seconds, job

        seconds, job = harvest(workdir / "catalog.ttl")
        results["turtle_created"] = job.created_count
        results["turtle_seconds"] = seconds
        results["turtle_cpu"] = cpu["last"]
        seconds, job = harvest(workdir / "catalog.ttl")
        results["unchanged"] = job.unchanged_count
        results["unchanged_seconds"] = seconds
        results["unchanged_cpu"] = cpu["last"]
        results["unchanged_written"] = job.created_count + job.updated_count + job.withdrawn_count
        seconds, job = harvest(workdir / "catalog.nt")
        results["ntriples_created"] = job.created_count
        results["ntriples_seconds"] = seconds
        results["ntriples_cpu"] = cpu["last"]
        results["baseline_n"] = args.baseline
        results["baseline_seconds"] = _naive(workdir / "naive.ttl")
        results["datasets_total"] = Dataset.objects.count()
        print("RESULT " + json.dumps(results))
    finally:
        if dropme:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dropme}"')


# --- the parent ----------------------------------------------------------------------------


def report(result: dict[str, float]) -> None:
    n = result["turtle_created"]
    turtle = n / result["turtle_seconds"]
    ntriples = result["ntriples_created"] / result["ntriples_seconds"]
    unchanged = result["unchanged"] / result["unchanged_seconds"]
    baseline = result["baseline_n"] / result["baseline_seconds"]
    print(f"\n== {result['backend']} ({result['vendor']}), N = {n:,}")
    print(
        f"  Turtle, all new         {result['turtle_seconds']:8.1f} s  {turtle:9,.0f} datasets/s"
        f"  (CPU of this process and its mapper: {result['turtle_cpu']:.1f} s)"
    )
    print(
        f"  Turtle again, unchanged {result['unchanged_seconds']:8.1f} s  {unchanged:9,.0f} datasets/s"
        f"  (rows written: {result['unchanged_written']})"
    )
    print(
        f"  N-Triples, all new      {result['ntriples_seconds']:8.1f} s  {ntriples:9,.0f} datasets/s"
    )
    print(
        f"  naive baseline (rdflib + one save per object, n = {result['baseline_n']:,})"
        f" {result['baseline_seconds']:6.1f} s  {baseline:9,.0f} datasets/s"
    )
    print(
        f"  ratio Turtle / baseline {turtle / baseline:8.1f}x   N-Triples / baseline {ntriples / baseline:.1f}x"
    )
    ok = turtle >= GOAL_RATE and turtle / baseline >= GOAL_RATIO
    print(
        f"  goal (>= {GOAL_RATE:,}/s and >= {GOAL_RATIO}x baseline): {'met' if ok else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, nargs="?", default=100_000, help="number of datasets")
    parser.add_argument(
        "--postgres", default=os.environ.get("DATABASE_URL", ""), help="PostgreSQL server URL"
    )
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--baseline", type=int, default=2_000, help="datasets in the naive baseline"
    )
    parser.add_argument(
        "--with-signals", action="store_true", help="keep datasets_changed receivers"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backend", default="sqlite", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="hack365-bench-harvest-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        generate(args.n, workdir / "catalog.ttl", base="https://bench.example.se/ttl/")
        generate(args.n, workdir / "catalog-nt.ttl", base="https://bench.example.se/nt/")
        to_ntriples(workdir / "catalog-nt.ttl", workdir / "catalog.nt")
        generate(
            min(args.baseline, args.n),
            workdir / "naive.ttl",
            base="https://bench.example.se/naive/",
        )
        size = (workdir / "catalog.ttl").stat().st_size
        print(
            f"generated {args.n:,} datasets in {time.perf_counter() - started:.1f} s "
            f"(Turtle {size / 1e6:.0f} MB, N-Triples {(workdir / 'catalog.nt').stat().st_size / 1e6:.0f} MB)"
        )
        backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgres"] if args.postgres else [])
        for backend in backends:
            command = [
                sys.executable,
                __file__,
                str(args.n),
                "--child",
                "--backend",
                backend,
                "--workdir",
                tmp,
                "--baseline",
                str(args.baseline),
            ]
            if args.postgres:
                command += ["--postgres", args.postgres]
            if args.with_signals:
                command.append("--with-signals")
            env = {**os.environ}
            env.pop("DATABASE_URL", None)
            out = subprocess.run(command, capture_output=True, text=True, env=env)
            lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
            if out.returncode or not lines:
                print(out.stdout[-3000:], out.stderr[-3000:])
                raise SystemExit(f"{backend}: the benchmark failed")
            report(json.loads(lines[-1][7:]))


if __name__ == "__main__":
    main()
