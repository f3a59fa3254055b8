"""``hack365 harvest``: run harvests, start scheduled ones, validate with SHACL.

hack365 harvest run --file PATH [--source NAME] [--dry-run] [--max-items N]
hack365 harvest run --source NAME [--dry-run] [--max-items N]
hack365 harvest schedule          # start every source that is due (cron)
hack365 harvest validate --shapes PATH [--shapes PATH …] [--file PATH | --source NAME]
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hack365.catalog.harvest import rdf
from hack365.catalog.harvest.errors import HarvestError
from hack365.catalog.models import Dataset, HarvestSource, JobStatus
from hack365.catalog.services import harvest_job_start, harvest_schedule_due
from hack365.core.errors import ApplicationError


class _Progress:
    """A tqdm bar per phase on stderr (silent when not a terminal or quiet)."""

    def __init__(self, stream: Any, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.bar: Any = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if phase != self.phase:
            self.close()
            self.phase = phase
            label = _("pages") if phase == "fetch" else _("datasets")
            self.bar = tqdm(
                total=total, unit=f" {label}", file=self.stream, leave=False, disable=None
            )
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "Harvest DCAT-AP and CKAN catalogs, start scheduled harvests, validate with SHACL."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="Harvest a file or a source now.")
        run.add_argument(
            "--file", help="A local catalog file (Turtle, RDF/XML, JSON-LD, N-Triples, CKAN JSON)."
        )
        run.add_argument("--source", help="The name of a harvest source.")
        run.add_argument("--dry-run", action="store_true", help="Read and compare, store nothing.")
        run.add_argument("--max-items", type=int, help="Harvest at most this many datasets.")
        run.add_argument("--no-progress", action="store_true", help="No progress bar.")
        actions.add_parser("schedule", help="Start a harvest of every source that is due.")
        validate = actions.add_parser("validate", help="Validate against SHACL shapes.")
        validate.add_argument(
            "--shapes", action="append", required=True, help="A SHACL shapes file (repeatable)."
        )
        group = validate.add_mutually_exclusive_group()
        group.add_argument("--file", help="Validate this file instead of the stored catalog.")
        group.add_argument("--source", help="Validate the stored datasets of this source.")
        validate.add_argument(
            "--limit", type=int, default=50, help="Print at most this many problems."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "run":
            self._run(options)
        elif action == "schedule":
            self._schedule()
        else:
            self._validate(options)

    def _source(self, name: str) -> HarvestSource:
        try:
            return HarvestSource.objects.get(name=name)
        except HarvestSource.DoesNotExist:
            raise CommandError(
                _("There is no harvest source named %(name)s.") % {"name": name}
            ) from None

    def _run(self, options: dict[str, Any]) -> None:
        if not options["file"] and not options["source"]:
            raise CommandError(_("Give --file PATH or --source NAME."))
        source = self._source(options["source"]) if options["source"] else None
        progress = _Progress(
            self.stderr._out, not options["no_progress"] and options["verbosity"] > 0
        )
        started = time.monotonic()
        try:
            job = harvest_job_start(
                user=None,
                source=source,
                file_path=options["file"],
                dry_run=options["dry_run"],
                max_items=options["max_items"],
                enqueue=False,
                progress=progress,
            )
        except ApplicationError as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
        finally:
            progress.close()
        seconds = time.monotonic() - started
        stored = job.created_count + job.updated_count + job.unchanged_count
        rate = stored / seconds if seconds > 0 else 0.0
        summary = _(
            "%(status)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(withdrawn)s withdrawn, %(failed)s failed in %(seconds).1f s (%(rate).0f datasets/s)."
        ) % {
            "status": job.get_status_display(),
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
            "withdrawn": job.withdrawn_count,
            "failed": job.failed_count,
            "seconds": seconds,
            "rate": rate,
        }
        if options["dry_run"]:
            summary = _("Dry run, nothing stored. ") + summary
        if job.status == JobStatus.FAILED:
            raise CommandError(f"{summary}\n{job.error}")
        self.stdout.write(summary)
        if options["verbosity"] > 1 and job.log:
            self.stdout.write(job.log)
        failures = job.records.filter(status="failed")[:20]
        for record in failures:
            self.stderr.write(f"  {record.key}: {record.error}")

    def _schedule(self) -> None:
        jobs = harvest_schedule_due()
        self.stdout.write(_("Started %(count)s scheduled harvests.") % {"count": len(jobs)})

    def _validate(self, options: dict[str, Any]) -> None:
        import pyshacl
        import rdflib
        from rdflib.namespace import SH

        shapes = rdflib.Graph()
        for path in options["shapes"]:
            shapes += self._graph(path)
        dangling = _drop_dangling_property_shapes(shapes)
        if dangling:
            self.stderr.write(
                _(
                    "Warning: the shapes refer to %(count)s property shapes they never define "
                    "(for example %(example)s); those references are left out."
                )
                % {"count": len(dangling), "example": dangling[0]}
            )
        if options["file"]:
            data = self._graph(options["file"])
            what = options["file"]
        else:
            datasets = Dataset.objects.filter(withdrawn=False).select_related("publisher")
            if options["source"]:
                datasets = datasets.filter(source=self._source(options["source"]))
            from hack365.catalog.harvest.rdf_out import datasets_to_rdf

            data = datasets_to_rdf(
                datasets.prefetch_related("distributions", "themes").iterator(chunk_size=500)
            )
            what = options["source"] or _("the stored catalog")
        from pyshacl.errors import ReportableRuntimeError

        try:
            conforms, results, _text = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True
            )
        except ReportableRuntimeError as error:
            raise CommandError(
                _("The shapes are not valid SHACL, so nothing was validated: %(error)s")
                % {"error": str(getattr(error, "message", error))[:1000]}
            ) from error
        problems = []
        for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
            severity = str(results.value(result, SH.resultSeverity) or "").rsplit("#", 1)[-1]
            focus = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            messages = [str(m) for m in results.objects(result, SH.resultMessage)]
            problems.append(
                (
                    severity,
                    str(focus),
                    str(path) if path is not None else "",
                    "; ".join(messages) or str(results.value(result, SH.sourceConstraintComponent)),
                )
            )
        problems.sort()
        for severity, focus, path, message in problems[: options["limit"]]:
            self.stdout.write(f"{severity}: {focus}\n  {_('path')}: {path or '-'}\n  {message}")
        if len(problems) > options["limit"]:
            self.stdout.write(
                _("… and %(count)s more.") % {"count": len(problems) - options["limit"]}
            )
        if not conforms:
            raise CommandError(
                _("%(what)s does not conform to the shapes: %(count)s problems.")
                % {"what": what, "count": len(problems)},
                returncode=1,
            )
        self.stdout.write(_("%(what)s conforms to the shapes.") % {"what": what})

    def _graph(self, path: str) -> Any:
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Could not read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error
        fmt = rdf.detect_format(name=file.name, head=content[:512])
        if fmt == "json":
            fmt = "jsonld"
        try:
            return rdf.rdflib_graph(content, fmt, base_iri="file:///" + file.name)
        except HarvestError as error:
            raise CommandError(f"{path}: {error}") from error


def _drop_dangling_property_shapes(shapes: Any) -> list[str]:
    """Remove ``sh:property`` references to shapes the graph says nothing
    about (published DCAT-AP 3.0.1 shapes have such references, which pyshacl
    refuses); returns them."""
    from rdflib.namespace import SH

    dangling = []
    for shape, target in list(shapes.subject_objects(SH.property)):
        if (target, None, None) not in shapes:
            shapes.remove((shape, SH.property, target))
            dangling.append(str(target))
    return sorted(set(dangling))
