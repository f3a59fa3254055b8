"""Demo solutions: for the demo teams, solutions in every state — drafts,
submitted ones reusing the datasets linked to their challenges, one saved
several times (with versions to compare), one withdrawn, and one frozen
(its year-round challenge's deadline has passed) — with attachments (a PDF
and a CSV made here; one of them confidential). Made through the
submissions services, as the teams would.

The frozen state is shown by the year-round challenge of the last submitted
solution, whose deadline the organizer sets to yesterday once the solution
is in. The past crisis event's teams and solutions come with its evaluation
(see evaluation.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hack365.catalog.models import ChallengeDataset, Reuse
from hack365.challenges import services as challenge_services
from hack365.challenges.models import Challenge, ChallengeStatus
from hack365.submissions import services
from hack365.submissions.models import Attachment, Solution, SolutionStatus, SolutionVersion
from hack365.teams.models import Team, TeamRole

from .loader import DemoContext


@dataclass(frozen=True)
class Plan:
    state: str  # "draft", "submitted", "versions", "withdrawn", "frozen"
    title: str
    summary: str
    problem: str
    target_group: str
    licence: str = "EUPL-1.2"
    repository_url: str = ""
    demo_url: str = ""
    other_data: str = ""
    attachments: tuple[tuple[str, bool], ...] = ()  # (kind "pdf"/"csv", confidential)


PLANS: dict[str, Plan] = {
    "Trängselkollen": Plan(
        "versions",
        "Trängselkollen – hur fullt är det på bussen?",
        "En app som visar hur fulla bussarna brukar vara, timme för timme, så att resenärer "
        "kan välja en avgång med plats.",
        "Resenärer vet inte i förväg vilka avgångar som är trånga. Under pandemin blev det "
        "viktigt att kunna **undvika trängsel**, och det är det fortfarande för många med "
        "funktionsnedsättning.\n\n- trängsel per linje och timme\n- förslag på glesare avgångar",
        "Resenärer i kollektivtrafiken",
        repository_url="https://example.org/trangselkollen",
        demo_url="https://trangselkollen.example.org/",
        attachments=(("pdf", False), ("csv", True)),
    ),
    "Bussradarn": Plan(
        "draft",
        "Bussradarn",
        "En karta i realtid över förseningar och trängsel för skärmar på hållplatser.",
        "Väntande resenärer ser inte hur försenad och full nästa buss är.",
        "Resenärer och trafikhuvudmän",
        licence="",
    ),
    "Halkfri väg": Plan(
        "submitted",
        "Halkfri väg – halkprognos för Norrlands vägar",
        "Prognoser för halka timme för timme, från väderdata och vägväderstationer.",
        "Trafikanter och väghållare får veta om halka först när den redan har uppstått.",
        "Trafikanter, väghållare och kommuner i Norrland",
        licence="MIT",
        repository_url="https://example.org/halkfri-vag",
    ),
    "Snöröjarna": Plan(
        "withdrawn",
        "Snöröjarna",
        "Planering av snöröjning utifrån var människor faktiskt går och cyklar.",
        "Snöröjningen följer fasta rutter i stället för var behovet är störst.",
        "Kommunernas driftavdelningar",
        licence="Apache-2.0",
    ),
    "Skyfallsgruppen": Plan(
        "submitted",
        "Skyfallskartan för Göteborg",
        "En karta över lågpunkter där vattnet samlas vid skyfall, med råd till fastighetsägare.",
        "Fastighetsägare vet inte om deras källare ligger där vattnet tar vägen vid ett skyfall.",
        "Fastighetsägare och räddningstjänst",
        licence="CC-BY-4.0",
        other_data="Egna mätningar av vattendjup vid tre skyfall 2025, insamlade med frivilliga.",
        attachments=(("csv", False),),
    ),
    "Regnkartan": Plan(
        "draft",
        "Regnkartan",
        "Vi undersöker hur öppna nederbördsdata kan visas för barn i skolan.",
        "",
        "Elever och lärare",
        licence="",
    ),
    "Trygg skolväg": Plan(
        "submitted",
        "Trygg skolväg i Umeå",
        "Elever och föräldrar markerar farliga korsningar; kommunen ser var åtgärder behövs mest.",
        "Kommunen saknar en samlad bild av var barn känner sig otrygga på väg till skolan.",
        "Elever, föräldrar och kommunens trafikplanerare",
        licence="AGPL-3.0-or-later",
        demo_url="https://tryggskolvag.example.org/",
    ),
    "Renbete och vind": Plan(
        "frozen",
        "Renbete och vind i samma karta",
        "Betesområden, flyttleder och planerade vindkraftsparker i samma karta, för samråd.",
        "Samebyar och projektörer har inte samma underlag när vindkraft planeras.",
        "Samebyar, länsstyrelser och projektörer",
        licence="EUPL-1.2",
        attachments=(("pdf", True),),
    ),
}
FALLBACK_STATES = ("submitted", "draft", "versions", "withdrawn", "submitted")


def demo_pdf(title: str) -> bytes:
    """A small valid one-page PDF with ``title`` (ASCII) on it."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def demo_csv(title: str) -> bytes:
    rows = ["timme,andel_fullt", *(f"{hour:02d},{(hour * 37) % 100}" for hour in range(6, 23))]
    return ("# " + title + "\n" + "\n".join(rows) + "\n").encode()


def _members(team: Team) -> list[Any]:
    memberships = list(team.memberships.select_related("user").order_by("role", "created_at"))
    lead = [m.user for m in memberships if m.role == TeamRole.LEAD]
    return lead + [m.user for m in memberships if m.role != TeamRole.LEAD]


def _plan_for(team: Team, index: int) -> Plan:
    if team.name in PLANS:
        return PLANS[team.name]
    state = FALLBACK_STATES[index % len(FALLBACK_STATES)]
    return Plan(
        state,
        f"{team.name}: lösning",
        f"{team.name}s lösning på utmaningen ”{team.challenge}”.",
        "Problemet som lösningen tar sig an, beskrivet av teamet.",
        "Invånare",
    )


def _save(
    user: Any, solution: Solution, plan: Plan, dataset_ids: list[int], **changes: Any
) -> Solution:
    fields: dict[str, Any] = {
        "title": plan.title,
        "summary": plan.summary,
        "problem": plan.problem,
        "target_group": plan.target_group,
        "dataset_ids": dataset_ids,
        "other_data": plan.other_data,
        "repository_url": plan.repository_url,
        "demo_url": plan.demo_url,
        "licence": plan.licence,
    }
    fields.update(changes)
    return services.solution_save(
        user=user, solution=solution, expected_version=solution.version, **fields
    )


def load(ctx: DemoContext) -> None:
    teams = list(
        Team.objects.filter(challenge__isnull=False, challenge__status=ChallengeStatus.PUBLISHED)
        .select_related("challenge", "challenge__event")
        .order_by("pk")
    )
    frozen_challenges: list[Challenge] = []
    for index, team in enumerate(teams):
        members = _members(team)
        if not members or services.Solution.objects.filter(team=team).exists():
            continue
        plan = _plan_for(team, index)
        lead = members[0]
        other = members[1] if len(members) > 1 else lead
        linked = list(
            ChallengeDataset.objects.filter(challenge=team.challenge)
            .order_by("created_at", "pk")
            .values_list("dataset_id", flat=True)
        )
        solution = services.solution_create(user=lead, team=team, title=plan.title)
        if plan.state == "versions":
            _save(lead, solution, plan, linked[:1], summary=plan.summary.split(",")[0] + ".")
            _save(other, solution, plan, linked[:2])
            _save(
                lead,
                solution,
                plan,
                linked[:2],
                problem=plan.problem + "\n\nTestat med tio resenärer.",
            )
        else:
            _save(lead, solution, plan, linked[:2] if plan.state != "draft" else linked[:1])
        for kind, confidential in plan.attachments:
            if kind == "pdf":
                upload = SimpleUploadedFile(f"{team.name} – presentation.pdf", demo_pdf(plan.title))
            else:
                upload = SimpleUploadedFile(f"{team.name} – data.csv", demo_csv(plan.title))
            services.attachment_add(
                user=lead, solution=solution, upload=upload, is_confidential=confidential
            )
        if plan.state in ("submitted", "versions", "withdrawn", "frozen"):
            services.solution_submit(user=other, solution=solution)
        if plan.state == "withdrawn":
            services.solution_withdraw(user=lead, solution=solution)
        challenge = team.challenge
        if plan.state == "frozen" and challenge is not None and challenge.event_id is None:
            frozen_challenges.append(challenge)

    yesterday = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    yesterday -= timedelta(days=1)
    organizer = ctx.users.get("arrangor")
    for challenge in frozen_challenges:
        if organizer is not None:
            challenge_services.challenge_update(
                user=organizer, challenge=challenge, deadline=yesterday
            )

    counts = ctx.result.counts
    solutions = Solution.objects.all()
    counts["solutions"] = solutions.count()
    counts["submitted solutions"] = solutions.filter(status=SolutionStatus.SUBMITTED).count()
    counts["solution drafts"] = solutions.filter(status=SolutionStatus.DRAFT).count()
    counts["withdrawn solutions"] = solutions.filter(status=SolutionStatus.WITHDRAWN).count()
    counts["frozen solutions"] = len(frozen_challenges)
    counts["solution versions"] = SolutionVersion.objects.count()
    counts["attachments"] = Attachment.objects.count()
    counts["dataset reuses"] = Reuse.objects.count()
