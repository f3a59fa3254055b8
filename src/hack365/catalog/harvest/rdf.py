"""Reading RDF documents safely and fast.

pyoxigraph parses (Turtle, N-Triples, RDF/XML, JSON-LD, TriG, N-Quads) and
writes N-Triples straight back in Rust; Python only splits those lines and
groups them by subject into a :class:`TripleIndex`. Terms stay in their
N-Triples spelling (``<iri>``, ``_:b0``, ``"text"@sv``) and are decoded only
when a mapper reads them.

Before any parser sees a document: XML with a DOCTYPE or ENTITY declaration
is refused (no external entities, no entity expansion), and JSON-LD remote
contexts are replaced by local definitions or refused (see ``jsonld``)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import multiprocessing
import os
import re
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from django.utils.translation import gettext as _

from . import jsonld
from .errors import HarvestError

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
FORMAT_NAMES = {
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "rdfxml": "RDF/XML",
    "jsonld": "JSON-LD",
    "trig": "TriG",
    "nquads": "N-Quads",
    "json": "JSON",
}
_EXTENSIONS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".n3": "turtle",
    ".nt": "ntriples",
    ".ntriples": "ntriples",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
    ".jsonld": "jsonld",
    ".json-ld": "jsonld",
    ".json": "json",
    ".trig": "trig",
    ".nq": "nquads",
}
_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/json": "json",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
_XML_START = re.compile(rb"^\s*(?:<\?xml|<!--|<!DOCTYPE|<[A-Za-z_][\w.-]*:RDF[\s>]|<RDF[\s>])")


def detect_format(*, name: str = "", content_type: str = "", head: bytes = b"") -> str:
    """The format of a document from its content type, its name and its
    first bytes, in that order of trust (a server's ``text/plain`` or
    ``application/octet-stream`` says nothing, so the content decides)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _MEDIA_TYPES:
        return _MEDIA_TYPES[media]
    lowered = name.lower().split("?", 1)[0]
    for extension, fmt in _EXTENSIONS.items():
        if lowered.endswith(extension):
            return fmt
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        return "json"
    if _XML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "rdfxml"
    return "turtle"


# --- XML safety ------------------------------------------------------------

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_xml_safe(data: bytes) -> None:
    """Refuse XML that declares a DOCTYPE or entities (external entities and
    entity-expansion bombs need one) and XML that is not ASCII-compatible
    (UTF-16/32 would hide a declaration from this check)."""
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or b"\x00" in data[:200]:
        raise HarvestError(_("RDF/XML must be encoded in UTF-8; this file is UTF-16 or UTF-32."))
    if _DECLARATION.search(data):
        raise HarvestError(
            _(
                "The XML document declares a DOCTYPE or entities. They are refused "
                "because they can read local files or expand without limit."
            )
        )


# --- the index ---------------------------------------------------------------


class TripleIndex:
    """Triples grouped by subject: ``{subject: {predicate: [object, …]}}``,
    every term in its N-Triples spelling."""

    __slots__ = ("subjects", "triples")

    def __init__(
        self, subjects: dict[str, dict[str, list[str]]] | None = None, triples: int | None = None
    ) -> None:
        self.subjects: dict[str, dict[str, list[str]]] = subjects if subjects is not None else {}
        self.triples = triples

    def __len__(self) -> int:
        return len(self.subjects)

    def get(self, subject: str) -> dict[str, list[str]]:
        return self.subjects.get(subject) or {}

    def objects(self, subject: str, predicate: str) -> list[str]:
        properties = self.subjects.get(subject)
        if not properties:
            return []
        return properties.get(predicate) or []

    def subjects_with(self, predicate: str, obj: str | None = None) -> Iterator[str]:
        for subject, properties in self.subjects.items():
            values = properties.get(predicate)
            if values and (obj is None or obj in values):
                yield subject

    def triple_count(self) -> int:
        if self.triples is None:
            self.triples = sum(len(v) for p in self.subjects.values() for v in p.values())
        return self.triples


class _Grouper:
    """A file-like sink for pyoxigraph's N-Triples writer that groups lines
    by subject as they arrive (subjects usually come in runs)."""

    def __init__(self) -> None:
        self.subjects: dict[str, dict[str, list[str]]] = {}
        self._rest = b""
        self._subject: str | None = None
        self._current: dict[str, list[str]] = {}
        self._predicates: dict[str, str] = {}  # interned predicate strings
        self.lines = 0

    def write(self, chunk: bytes) -> int:
        # Whole lines only: a chunk may end inside a line (or a character).
        data = self._rest + chunk if self._rest else chunk
        cut = data.rfind(b"\n") + 1
        self._rest = data[cut:]
        if cut:
            lines = data[:cut].decode("utf-8").split("\n")
            lines.pop()  # "" after the last newline
            self.lines += len(lines)
            self._add(lines)
        return len(chunk)

    def flush(self) -> None:
        pass

    def close(self) -> TripleIndex:
        if self._rest.strip():
            self._add([self._rest.decode("utf-8")])
            self.lines += 1
            self._rest = b""
        return TripleIndex(self.subjects, self.lines)

    def _add(self, lines: list[str]) -> None:
        subjects = self.subjects
        predicates = self._predicates
        current_subject = self._subject
        current = self._current
        for line in lines:
            if not line:
                continue
            subject, predicate, obj = line.split(" ", 2)
            if subject != current_subject:
                found = subjects.get(subject)
                if found is None:
                    found = subjects[subject] = {}
                current = found
                current_subject = subject
            predicate = predicates.setdefault(predicate, predicate)
            values = current.get(predicate)
            if values is None:
                current[predicate] = [obj[:-2]]
            else:
                values.append(obj[:-2])
        self._subject = current_subject
        self._current = current


def _syntax_message(fmt: str, error: Exception) -> str:
    return _("The document is not valid %(format)s: %(error)s") % {
        "format": FORMAT_NAMES.get(fmt, fmt),
        "error": str(error)[:500],
    }


def prepare_jsonld(data: bytes) -> bytes:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise HarvestError(_syntax_message("jsonld", error)) from error
    return json.dumps(jsonld.resolve_contexts(document)).encode("utf-8")


def parse_rdf(data: bytes, fmt: str, *, base_iri: str | None = None) -> TripleIndex:
    """Parse a whole document into a :class:`TripleIndex` (named graphs are
    merged into one). Raises :class:`HarvestError` with a readable message."""
    if fmt not in RDF_FORMATS:
        raise HarvestError(_("%(format)s is not an RDF format.") % {"format": fmt})
    if fmt == "rdfxml":
        check_xml_safe(data)
    elif fmt == "jsonld":
        data = prepare_jsonld(data)
    grouper = _Grouper()
    try:
        if len(data) >= PARALLEL_PARSE_FROM and _can_fork():
            _parse_forked(data, fmt, base_iri, grouper)
        else:
            _to_ntriples(data, fmt, base_iri, grouper)
    except (SyntaxError, ValueError, UnicodeDecodeError) as error:
        if fmt == "rdfxml":
            return _parse_rdfxml_leniently(data, base_iri, error)
        raise HarvestError(_syntax_message(fmt, error)) from error
    return grouper.close()


# Documents this large are parsed in a forked process that streams N-Triples
# back while this one groups them: parsing (Rust, and pyoxigraph's Python
# objects) and grouping (Python) take about as long each.
PARALLEL_PARSE_FROM = 8 * 1024 * 1024


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def _to_ntriples(data: bytes, fmt: str, base_iri: str | None, out: Any) -> None:
    quads = ox.parse(data, RDF_FORMATS[fmt], base_iri=base_iri)
    if fmt in ("trig", "nquads"):
        triples: Any = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
    else:
        ox.serialize(quads, out, ox.RdfFormat.N_TRIPLES)


def _parser_process(data: bytes, fmt: str, base_iri: str | None, fd: int, errors: Any) -> None:
    """The forked parser: N-Triples to ``fd``; a syntax error's text to
    ``errors`` (the process then exits with status 1)."""
    try:
        with open(fd, "wb", buffering=1 << 20, closefd=True) as out:
            _to_ntriples(data, fmt, base_iri, out)
        errors.send(None)
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        errors.send((type(error).__name__, str(error)))
    finally:
        errors.close()


def _parse_forked(data: bytes, fmt: str, base_iri: str | None, grouper: _Grouper) -> None:
    context = multiprocessing.get_context("fork")
    read_fd, write_fd = os.pipe()
    with contextlib.suppress(AttributeError, OSError):  # Linux: a larger pipe, fewer reads
        fcntl.fcntl(read_fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    error_reader, error_writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_parser_process,
        args=(data, fmt, base_iri, write_fd, error_writer),
        daemon=True,
    )
    try:
        process.start()
    finally:
        os.close(write_fd)
        error_writer.close()
    try:
        with open(read_fd, "rb", buffering=0, closefd=True) as pipe:
            while chunk := pipe.read(1 << 20):
                grouper.write(chunk)
        try:
            outcome = error_reader.recv()
        except EOFError:
            outcome = ("RuntimeError", "the parsing process stopped unexpectedly")
    finally:
        error_reader.close()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
    if outcome is not None:
        kind, message = outcome
        if kind in ("SyntaxError", "ValueError", "UnicodeDecodeError"):
            raise ValueError(message)
        raise HarvestError(
            _("The parsing process failed: %(error)s") % {"error": f"{kind}: {message}"[:500]}
        )


def _parse_rdfxml_leniently(data: bytes, base_iri: str | None, first: Exception) -> TripleIndex:
    """rdflib accepts some real-world RDF/XML that pyoxigraph refuses (text
    where a node was expected, as in early Swedish catalogs). The XML is
    checked again by defusedxml before rdflib's expat parser sees it."""
    import defusedxml.ElementTree
    import rdflib

    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
        graph = rdflib.Graph()
        graph.parse(data=data, format="xml", publicID=base_iri)
        ntriples = graph.serialize(format="nt", encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - any failure means the first error stands
        raise HarvestError(_syntax_message("rdfxml", first)) from error
    grouper = _Grouper()
    grouper.write(ntriples)
    return grouper.close()


# --- terms -----------------------------------------------------------------

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf\"'\\])")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'"}


def _unescape_one(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uU":
        try:
            return chr(int(code[1:], 16))
        except (ValueError, OverflowError):
            return ""
    return _SIMPLE_ESCAPES.get(code, "\\")


def is_iri(term: str) -> bool:
    return term[:1] == "<"


def is_blank(term: str) -> bool:
    return term[:2] == "_:"


def is_literal(term: str) -> bool:
    return term[:1] == '"'


def iri_value(term: str) -> str:
    return term[1:-1]


def literal_parts(term: str) -> tuple[str, str, str]:
    """``(text, language, datatype IRI)`` of a literal term."""
    end = term.rfind('"')
    text = term[1:end]
    if "\\" in text:
        text = _ESCAPE.sub(_unescape_one, text)
    suffix = term[end + 1 :]
    if suffix[:1] == "@":
        return text, suffix[1:], ""
    if suffix[:3] == "^^<":
        return text, "", suffix[3:-1]
    return text, "", ""


def term_text(term: str) -> str:
    """An IRI's address or a literal's text; "" for a blank node."""
    if is_literal(term):
        return literal_parts(term)[0]
    if is_iri(term):
        return iri_value(term)
    return ""


def rdflib_graph(data: bytes, fmt: str, *, base_iri: str | None = None) -> Any:
    """The document as an rdflib graph (for SHACL validation), read through
    the same checks as a harvest."""
    import rdflib

    index = parse_rdf(data, fmt, base_iri=base_iri)
    ntriples = "".join(
        f"{subject} {predicate} {obj} .\n"
        for subject, properties in index.subjects.items()
        for predicate, objects in properties.items()
        for obj in objects
    )
    graph = rdflib.Graph()
    graph.parse(data=ntriples, format="nt")
    return graph
