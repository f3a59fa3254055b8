"""Dataset search benchmark: N synthetic datasets (default 1,000,000), a fixed
query mix, p50 / p95 per backend, a naive baseline in the same run.

    .venv/bin/python bench/search.py                      # embedded (tantivy), 1M
    .venv/bin/python bench/search.py --postgres postgres://postgres@127.0.0.1:5432/hack365_bench
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py --backends embedded,postgres
    .venv/bin/python bench/search.py -n 100000 --fts5     # also SQLite FTS5 for comparison

Documents: 8 title and 60 description words drawn from a Zipf-Mandelbrot
distribution over 100,000 Swedish-like words (the most common word is in
about 63 % of the documents), ~300 publishers (Zipf), 13 EU data themes (1–2
each), 15 formats (1–3), 8 licences, 3 access-rights values, a modification
time in the last ten years, 1 % withdrawn. They are generated straight into
each backend's bulk loader (not through the harvester), with a fixed seed.

Every query of the mix asks for the first page of 20 ids, the total and the
counts of all five facets, exactly as the dataset search page does. The
PostgreSQL database given is migrated, then its search table is replaced.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hack365.catalog.search.base import (  # noqa: E402
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResult,
)
from hack365.catalog.search.text import query_words  # noqa: E402

SEED = 365
VOCABULARY = 100_000
TITLE_WORDS = 8
DESCRIPTION_WORDS = 60
PUBLISHERS = 300
THEMES = [
    "AGRI",
    "ECON",
    "EDUC",
    "ENER",
    "ENVI",
    "GOVE",
    "HEAL",
    "INTR",
    "JUST",
    "OP_DATPRO",
    "REGI",
    "SOCI",
    "TECH",
    "TRAN",
]
FORMATS = [
    "CSV",
    "JSON",
    "XML",
    "PDF",
    "XLSX",
    "HTML",
    "ZIP",
    "GeoJSON",
    "SHP",
    "WMS",
    "WFS",
    "RDF",
    "API",
    "TXT",
    "GML",
]
LICENSES = [
    "http://creativecommons.org/publicdomain/zero/1.0/",
    "http://creativecommons.org/licenses/by/4.0/",
    "http://creativecommons.org/licenses/by-sa/4.0/",
    "http://creativecommons.org/licenses/by/2.5/se/",
    "http://data.europa.eu/eli/dec_impl/2017/863/oj",
    "http://creativecommons.org/licenses/by-nc/4.0/",
    "http://opendatacommons.org/licenses/odbl/1-0/",
    "http://www.opendefinition.org/licenses/cc-by",
]
ACCESS = [
    "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
    "http://publications.europa.eu/resource/authority/access-right/RESTRICTED",
    "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC",
]
NOW = 1_795_000_000  # a fixed "now" (2026-11) so every run is the same

ONSETS = [
    "b",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "sk",
    "st",
    "str",
    "sp",
    "kr",
    "tr",
    "gr",
    "bl",
    "fl",
    "kl",
    "sl",
    "sn",
    "sv",
    "tj",
    "sj",
    "br",
    "dr",
    "fr",
]
VOWELS = list("aeiouyåäö") + ["a", "e", "i", "o"]
CODAS = ["", "", "n", "r", "s", "l", "k", "t", "g", "m", "nd", "ng", "rk", "st", "ck", "ll", "rt"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        if word not in seen and len(word) <= 18:
            seen.add(word)
            words.append(word)
    return words


def zipf_cumulative(size: int, s: float = 1.0, q: float = 6.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + q) ** s for rank in range(1, size + 1)))


def sampling_table(values: list[str], cumulative: list[float], slots: int = 1 << 20) -> list[str]:
    """``values`` repeated in proportion to their weights, so that a uniform
    pick from the table is a Zipf pick (much faster than cum_weights)."""
    table: list[str] = []
    total = cumulative[-1]
    for value, upper in zip(values, cumulative, strict=True):
        table.extend([value] * (round(upper / total * slots) - len(table)))
    return table


@dataclass
class Corpus:
    words: list[str]
    n: int

    def documents(self, chunk: int = 10_000) -> Iterator[list[SearchDocument]]:
        """The same N documents every time (seeded), a chunk at a time."""
        rng = random.Random(SEED)
        word_table = sampling_table(self.words, zipf_cumulative(len(self.words)))
        publisher_weights = zipf_cumulative(PUBLISHERS, s=0.8, q=2.0)
        publishers = [str(i) for i in range(1, PUBLISHERS + 1)]
        theme_weights = zipf_cumulative(len(THEMES), s=0.6, q=1.0)
        format_weights = zipf_cumulative(len(FORMATS), s=0.9, q=1.0)
        license_weights = zipf_cumulative(len(LICENSES), s=1.2, q=0.5)
        per_doc = TITLE_WORDS + DESCRIPTION_WORDS
        for start in range(0, self.n, chunk):
            count = min(chunk, self.n - start)
            words = rng.choices(word_table, k=count * per_doc)
            pubs = rng.choices(publishers, cum_weights=publisher_weights, k=count)
            themes = rng.choices(THEMES, cum_weights=theme_weights, k=count * 2)
            formats = rng.choices(FORMATS, cum_weights=format_weights, k=count * 3)
            licenses = rng.choices(LICENSES, cum_weights=license_weights, k=count)
            batch = []
            for i in range(count):
                w = words[i * per_doc : (i + 1) * per_doc]
                title = " ".join(w[:TITLE_WORDS]).capitalize()
                description = " ".join(w[TITLE_WORDS:])
                r = rng.random()
                batch.append(
                    SearchDocument(
                        id=start + i + 1,
                        texts={"sv": (title, "", description)},
                        publisher=pubs[i],
                        themes=tuple(dict.fromkeys(themes[2 * i : 2 * i + 1 + (r < 0.4)])),
                        formats=tuple(
                            dict.fromkeys(formats[3 * i : 3 * i + 1 + (r < 0.5) + (r < 0.2)])
                        ),
                        license=licenses[i],
                        access_rights=ACCESS[0 if r < 0.9 else 1 if r < 0.97 else 2],
                        modified=NOW - rng.randrange(10 * 365 * 86400),
                        withdrawn=r > 0.99,
                    )
                )
            yield batch


def query_mix(words: list[str]) -> list[tuple[str, SearchRequest]]:
    """The fixed mix: (label, request). Word ranks are Zipf ranks."""

    def w(rank: int) -> str:
        return words[rank - 1]

    top_publisher = "1"

    def req(
        text: str, sort: str = "relevance", page: int = 1, **filters: list[str]
    ) -> SearchRequest:
        return SearchRequest(
            words=tuple(query_words(text)),
            filters={k: tuple(v) for k, v in filters.items()},
            sort="modified" if sort == "modified" else "relevance",
            offset=(page - 1) * 20,
            limit=20,
            language="sv",
        )

    return [
        ("very common word (rank 1)", req(w(1))),
        ("very common word, by modified", req(w(1), "modified")),
        ("very common word + theme", req(w(1), theme=["ENVI"])),
        ("common word (rank 3) + access", req(w(3), access_rights=[ACCESS[1]])),
        ("common word (rank 30)", req(w(30))),
        ("common word (rank 30), page 5", req(w(30), page=5)),
        ("word rank 300 + publisher", req(w(300), publisher=[top_publisher])),
        ("word rank 3000", req(w(3000))),
        ("rare word (rank 30000)", req(w(30_000))),
        ("rare word, by modified", req(w(30_000), "modified")),
        ("two common words (1, 30)", req(f"{w(1)} {w(30)}")),
        ("two words (300, 3000)", req(f"{w(300)} {w(3000)}")),
        (
            "two common words + 2 formats + licence, by modified",
            req(f"{w(1)} {w(3)}", "modified", format=["CSV", "JSON"], license=[LICENSES[0]]),
        ),
        ("no words (browse), by modified", req("", "modified")),
        ("no words + publisher + theme", req("", "modified", publisher=["2"], theme=["TRAN"])),
    ]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def run_mix(
    name: str,
    search: Callable[[SearchRequest], SearchResult],
    mix: list[tuple[str, SearchRequest]],
    repeats: int,
    *,
    cpu: bool = False,
) -> list[float]:
    """Run the mix ``repeats`` times (shuffled); print wall-clock p50 / p95
    per query and overall (and this process's CPU time when ``cpu``: the
    engine runs in-process, so CPU time shows its cost without the waiting
    that other processes on a busy machine add; it counts both threads when
    the page and the counts run in parallel). Returns the wall times."""
    for _label, request in mix:  # warm-up
        search(request)
    timings: dict[str, list[float]] = {label: [] for label, _ in mix}
    cpu_times: list[float] = []
    totals: dict[str, str] = {}
    rng = random.Random(1)
    load_before = os.getloadavg()[0]
    for _ in range(repeats):
        order = list(mix)
        rng.shuffle(order)
        for label, request in order:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = search(request)
            timings[label].append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - start_cpu) * 1000)
            totals[label] = f"{result.total:,}" + ("" if result.total_is_exact else "+")
            if not result.facets_are_exact:
                totals[label] += " (facets ~)"
    load_after = os.getloadavg()[0]
    print(f"\n{name}: per query, ms (p50 / p95 over {repeats} runs), matches")
    for label, values in timings.items():
        print(
            f"  {label:<52} {percentile(values, 50):8.1f} {percentile(values, 95):8.1f}"
            f"   {totals[label]}"
        )
    every = [v for values in timings.values() for v in values]
    print(
        f"  {'ALL':<52} {percentile(every, 50):8.1f} {percentile(every, 95):8.1f}"
        f"   ({len(every)} queries)"
    )
    if cpu:
        print(
            f"  {'ALL, CPU time of this process':<52} {percentile(cpu_times, 50):8.1f} "
            f"{percentile(cpu_times, 95):8.1f}"
        )
    print(
        f"  (load average {load_before:.1f} before, {load_after:.1f} after; {os.cpu_count()} CPUs)"
    )
    return every


# --- backends ---------------------------------------------------------------
def load(backend: SearchBackend, corpus: Corpus) -> float:
    """Bulk-load the corpus; seconds spent in the backend (not generating)."""
    spent = 0.0
    generated = 0
    start = time.perf_counter()
    with backend.bulk_loader() as loader:
        for batch in corpus.documents():
            t = time.perf_counter()
            loader.add(batch)
            spent += time.perf_counter() - t
            generated += len(batch)
            if generated % 100_000 == 0:
                print(f"    {generated:,} documents …", flush=True)
        t = time.perf_counter()
    spent += time.perf_counter() - t  # the commit / index build at the end
    print(f"    (with generation: {time.perf_counter() - start:.1f} s)")
    return spent


def embedded_backend(path: str) -> SearchBackend:
    from hack365.catalog.search.embedded import EmbeddedBackend

    return EmbeddedBackend(path)


def postgres_backend(url: str) -> SearchBackend:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "hack365.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from hack365.catalog.search.postgres import PostgresBackend

    return PostgresBackend("default")


# --- baselines --------------------------------------------------------------
class NaiveBaseline:
    """What one writes first: ``icontains`` on title and description (SQLite
    LIKE '%word%', as Django does it), newest first, COUNT and GROUP BY for
    the facets (themes and formats in link tables)."""

    def __init__(self, corpus: Corpus, n: int):
        self.db = sqlite3.connect(":memory:")
        self.db.executescript(
            """
            CREATE TABLE ds (id INTEGER PRIMARY KEY, title TEXT, description TEXT,
              publisher TEXT, license TEXT, access TEXT, modified INTEGER, withdrawn INTEGER);
            CREATE TABLE theme (ds INTEGER, code TEXT);
            CREATE TABLE fmt (ds INTEGER, code TEXT);
            """
        )
        loaded = 0
        for batch in corpus.documents():
            batch = batch[: n - loaded]
            self.db.executemany(
                "INSERT INTO ds VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        d.id,
                        d.texts["sv"][0],
                        d.texts["sv"][2],
                        d.publisher,
                        d.license,
                        d.access_rights,
                        d.modified,
                        d.withdrawn,
                    )
                    for d in batch
                ],
            )
            self.db.executemany(
                "INSERT INTO theme VALUES (?,?)", [(d.id, t) for d in batch for t in d.themes]
            )
            self.db.executemany(
                "INSERT INTO fmt VALUES (?,?)", [(d.id, f) for d in batch for f in d.formats]
            )
            loaded += len(batch)
            if loaded >= n:
                break
        self.db.executescript(
            "CREATE INDEX ds_mod ON ds(modified); CREATE INDEX theme_ds ON theme(ds, code);"
            "CREATE INDEX fmt_ds ON fmt(ds, code);"
        )

    def search(self, request: SearchRequest) -> SearchResult:
        where = ["NOT withdrawn"]
        params: list[object] = []
        for word in request.words:
            where.append("(title LIKE ? OR description LIKE ?)")
            params += [f"%{word}%", f"%{word}%"]
        for facet, values in request.filters.items():
            marks = ",".join("?" * len(values))
            column = {"publisher": "publisher", "license": "license", "access_rights": "access"}
            if facet in column:
                where.append(f"{column[facet]} IN ({marks})")
            else:
                table = "theme" if facet == "theme" else "fmt"
                where.append(f"id IN (SELECT ds FROM {table} WHERE code IN ({marks}))")
            params += list(values)
        sql_where = " AND ".join(where)
        ids = [
            row[0]
            for row in self.db.execute(
                f"SELECT id FROM ds WHERE {sql_where} ORDER BY modified DESC LIMIT 20 OFFSET ?",
                [*params, request.offset],
            )
        ]
        total = self.db.execute(f"SELECT count(*) FROM ds WHERE {sql_where}", params).fetchone()[0]
        facets = {}
        for facet, column in (("publisher", "publisher"), ("license", "license")):
            facets[facet] = self.db.execute(
                f"SELECT {column}, count(*) FROM ds WHERE {sql_where} GROUP BY 1", params
            ).fetchall()
        for facet, table in (("theme", "theme"), ("format", "fmt")):
            facets[facet] = self.db.execute(
                f"SELECT t.code, count(*) FROM {table} t JOIN ds ON ds.id = t.ds "
                f"WHERE {sql_where} GROUP BY 1",
                params,
            ).fetchall()
        return SearchResult(ids=ids, total=total, facets=facets)


class Fts5:
    """SQLite FTS5 with bm25 ranking and facet counts by GROUP BY — the
    first candidate for the embedded backend (unstemmed words: the synthetic
    vocabulary has nothing to stem)."""

    def __init__(self, corpus: Corpus):
        self.db = sqlite3.connect(os.path.join(tempfile.mkdtemp(), "fts5.sqlite3"))
        self.db.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE VIRTUAL TABLE doc USING fts5(title, description, tokenize='unicode61');
            CREATE TABLE meta (rowid INTEGER PRIMARY KEY, publisher TEXT, license TEXT,
              access TEXT, modified INTEGER, withdrawn INTEGER, themes TEXT, formats TEXT);
            """
        )
        start = time.perf_counter()
        for batch in corpus.documents():
            self.db.executemany(
                "INSERT INTO doc(rowid, title, description) VALUES (?,?,?)",
                [(d.id, d.texts["sv"][0], d.texts["sv"][2]) for d in batch],
            )
            self.db.executemany(
                "INSERT INTO meta VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        d.id,
                        d.publisher,
                        d.license,
                        d.access_rights,
                        d.modified,
                        d.withdrawn,
                        " ".join(d.themes),
                        " ".join(d.formats),
                    )
                    for d in batch
                ],
            )
        self.db.execute("INSERT INTO doc(doc) VALUES ('optimize')")
        self.db.commit()
        self.build_seconds = time.perf_counter() - start

    def search(self, request: SearchRequest) -> SearchResult:
        match = " AND ".join(f'"{w}"' for w in request.words)
        where = ["NOT m.withdrawn"]
        params: list[object] = []
        for facet, values in request.filters.items():
            column = {"publisher": "publisher", "license": "license", "access_rights": "access"}
            if facet in column:
                where.append(f"m.{column[facet]} IN ({','.join('?' * len(values))})")
                params += list(values)
            else:
                col = "themes" if facet == "theme" else "formats"
                where.append("(" + " OR ".join(f"(' '||m.{col}||' ') LIKE ?" for _ in values) + ")")
                params += [f"% {v} %" for v in values]
        cond = " AND ".join(where)
        if match:
            source = "doc JOIN meta m ON m.rowid = doc.rowid WHERE doc MATCH ? AND "
            params = [match, *params]
        else:
            source = "meta m WHERE "
        order = "bm25(doc)" if match and request.sort == "relevance" else "m.modified DESC"
        ids = [
            r[0]
            for r in self.db.execute(
                f"SELECT m.rowid FROM {source}{cond} ORDER BY {order} LIMIT 20 OFFSET ?",
                [*params, request.offset],
            )
        ]
        total = self.db.execute(f"SELECT count(*) FROM {source}{cond}", params).fetchone()[0]
        facets = {
            "publisher": self.db.execute(
                f"SELECT m.publisher, count(*) FROM {source}{cond} GROUP BY 1", params
            ).fetchall(),
            "license": self.db.execute(
                f"SELECT m.license, count(*) FROM {source}{cond} GROUP BY 1", params
            ).fetchall(),
        }
        return SearchResult(ids=ids, total=total, facets=facets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="datasets (default 1,000,000)")
    parser.add_argument(
        "--backends",
        default="",
        help="embedded,postgres (default: embedded, "
        "and postgres when DATABASE_URL or --postgres is given)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL URL (default: DATABASE_URL)",
    )
    parser.add_argument(
        "--index-dir", default="", help="tantivy index directory (default: a temporary one)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="skip loading when the index already holds N documents"
    )
    parser.add_argument("--repeats", type=int, default=20, help="runs of the query mix")
    parser.add_argument(
        "--baseline-n",
        type=int,
        default=100_000,
        help="datasets in the naive baseline (default 100,000)",
    )
    parser.add_argument("--fts5", action="store_true", help="also measure SQLite FTS5")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    args = parser.parse_args()

    backends = [b for b in args.backends.split(",") if b] or (
        ["embedded", "postgres"] if args.postgres else ["embedded"]
    )
    print(f"search benchmark: {args.n:,} datasets, {args.repeats} runs of the query mix")
    start = time.perf_counter()
    words = vocabulary(random.Random(SEED), VOCABULARY)
    corpus = Corpus(words=words, n=args.n)
    mix = query_mix(words)
    print(f"vocabulary of {len(words):,} words in {time.perf_counter() - start:.1f} s")

    results: dict[str, list[float]] = {}
    for name in backends:
        if name == "embedded":
            path = args.index_dir or tempfile.mkdtemp(prefix="hack365-search-bench-")
            backend = embedded_backend(path)
        elif name == "postgres":
            if not args.postgres:
                parser.error("postgres needs --postgres URL or DATABASE_URL")
            backend = postgres_backend(args.postgres)
        else:
            parser.error(f"unknown backend {name}")
        print(f"\n[{name}] loading …", flush=True)
        if args.reuse and backend.count() == args.n:
            print(f"  reusing the index of {args.n:,} documents")
        else:
            seconds = load(backend, corpus)
            print(f"  index build time: {seconds:.1f} s ({args.n / seconds:,.0f} documents/s)")
        results[name] = run_mix(name, backend.search, mix, args.repeats, cpu=name == "embedded")

    if args.fts5:
        print("\n[fts5] loading …", flush=True)
        fts = Fts5(corpus)
        print(f"  index build time (with generation): {fts.build_seconds:.1f} s")
        results["fts5"] = run_mix("SQLite FTS5", fts.search, mix, max(2, args.repeats // 10))

    if args.no_baseline:
        return
    print(f"\n[baseline] naive icontains on {args.baseline_n:,} datasets (SQLite LIKE) …")
    baseline = NaiveBaseline(corpus, args.baseline_n)
    base = run_mix(
        f"baseline: icontains, {args.baseline_n:,} datasets",
        baseline.search,
        mix,
        max(1, args.repeats // 10),
    )

    print("\nsummary (ms)                          p50      p95   p95 vs baseline")
    base50, base95 = percentile(base, 50), percentile(base, 95)
    print(f"  baseline ({args.baseline_n:>9,} datasets) {base50:8.1f} {base95:8.1f}")
    for name, values in results.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        verdict = "meets" if p95 < 50 else "misses"
        print(
            f"  {name:<10} ({args.n:>9,} datasets) {p50:8.1f} {p95:8.1f}   "
            f"{base95 / p95:6.1f}x faster   ({verdict} p95 < 50 ms)"
        )


if __name__ == "__main__":
    main()
