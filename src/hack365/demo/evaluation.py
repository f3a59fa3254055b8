"""Demo evaluation, awards and realization: Hack the Crisis Sverige, long
over, as it ended — six teams and their submitted solutions, a finished
evaluation round (four jury members, one declared conflict of interest and
its reassignment, scores with justifications from a harsh and a lenient
jury member, so that the normalised ranking differs from the raw one), a
shortlist, feedback released to the teams, three awards (one of them the
people's choice, from votes), published winners, and a realization
decision in every stage (adopted, pilot, innovation procurement, further
development, declined with a reason, and one not decided yet) with
milestones and follow-ups. Hack for Sweden 2027 gets a round being
prepared, with blind review.

Everything is made through the services, as the people would, while the
event's challenges are still open and the round's closing time lies ahead
(the loader closes the challenges afterwards). Then the moments are moved
back to the event's own dates (``_backdate``): a direct update, as the
demo's set-up, because no service lets anyone write yesterday's date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from hack365.accounts.models import User
from hack365.catalog.models import ChallengeDataset
from hack365.challenges.models import Event
from hack365.judging import award_services, services
from hack365.judging.award_selectors import round_results
from hack365.judging.models import (
    Assignment,
    AssignmentStatus,
    Award,
    AwardCategory,
    AwardKind,
    ConflictReason,
    Criterion,
    Entry,
    EvaluationRound,
    Vote,
)
from hack365.realization import services as realization_services
from hack365.realization.models import Decision, FollowUp, Milestone, Realization
from hack365.submissions import services as solution_services
from hack365.submissions.models import Solution
from hack365.teams import services as team_services

from . import content
from .loader import STOCKHOLM, DemoContext

CRISIS = "hack-the-crisis-sverige"
ANNUAL = "hack-for-sweden-2027"


@dataclass(frozen=True)
class CrisisTeam:
    name: str
    challenge: str  # content key
    lead: str
    members: tuple[str, ...]
    title: str
    summary: str
    problem: str
    target_group: str
    licence: str
    quality: int  # 1-5: how good the jury finds it (drives the demo's scores)
    decision: str | None  # the need owner's decision (None: not decided yet)
    reason: str = ""
    milestones: tuple[tuple[int, str, str], ...] = ()  # (days after the award, title, update)


TEAMS = [
    CrisisTeam(
        "Smittkartan",
        "smittspridning-i-realtid",
        "kim",
        ("johan",),
        "Smittkartan – läget i varje kommun, varje morgon",
        "En karta som varje morgon visar smittläget per kommun, med trend och jämförelse "
        "med grannkommunerna, byggd på Folkhälsomyndighetens öppna data.",
        "Kommunernas krisledningar fick läget i tabeller, dagar för sent och svåra att jämföra.",
        "Kommunernas krisledningar",
        "EUPL-1.2",
        5,
        Decision.ADOPT,
        milestones=(
            (20, "Beslut om införande", "Kartan blir en del av myndighetens lägesbild."),
            (75, "I drift för alla kommuner", "Uppdateras varje morgon kl. 7."),
            (190, "Uppföljning efter ett halvår", "Alla 290 kommuner har använt kartan."),
        ),
    ),
    CrisisTeam(
        "Krisläget",
        "smittspridning-i-realtid",
        "ahmed",
        ("sofia",),
        "Krisläget – veckans lägesbild på en sida",
        "En automatisk lägesrapport för krisledningsmöten: smittläge, vårdbelastning och "
        "skyddsutrustning, på en sida.",
        "Att sammanställa lägesbilden tog en handläggare en halv dag varje vecka.",
        "Krisledningsgrupper i kommuner och regioner",
        "MIT",
        4,
        Decision.PILOT,
        milestones=((40, "Pilot i tre kommuner", "Umeå, Skellefteå och Lycksele testar."),),
    ),
    CrisisTeam(
        "Fika på distans",
        "digital-ensamhet-aldre",
        "linnea",
        ("nora",),
        "Fika på distans – videosamtal med en knapp",
        "En surfplatta med en enda knapp som ringer upp en volontär för en fikastund, "
        "med förslag på samtalsämnen.",
        "Många äldre blev isolerade när besöken upphörde och tycker att appar är krångliga.",
        "Äldre som bor ensamma, och volontärer",
        "CC-BY-4.0",
        4,
        Decision.FURTHER_DEVELOPMENT,
        milestones=((60, "Användartester på två boenden", "Knappen behöver bli större."),),
    ),
    CrisisTeam(
        "Videofika",
        "digital-ensamhet-aldre",
        "forskare",
        ("utvecklare",),
        "Videofika – ett schema för anhörigsamtal",
        "En bokningskalender för videosamtal mellan boende och anhöriga.",
        "Anhöriga visste inte när det gick att ringa.",
        "Anhöriga och personal på äldreboenden",
        "Apache-2.0",
        2,
        Decision.DECLINE,
        reason=(
            "Regionen har redan upphandlat ett bokningssystem som täcker samma behov; vi tar "
            "med idén om påminnelser till leverantören."
        ),
    ),
    CrisisTeam(
        "Lagerkollen",
        "skyddsutrustning-lagerlage",
        "johan",
        ("kim",),
        "Lagerkollen – skyddsutrustning i realtid",
        "En gemensam vy över lagren av skyddsutrustning i regionens kommuner, med prognos "
        "för när det tar slut.",
        "Kommunerna visste inte vad grannkommunerna hade i lager.",
        "Kommunernas och regionens logistiker",
        "EUPL-1.2",
        3,
        Decision.PROCUREMENT,
        milestones=(
            (90, "Förfrågan om innovationsupphandling", "Dialog med tre leverantörer."),
            (200, "Upphandlingen annonserad", "Anbud senast i februari."),
        ),
    ),
    CrisisTeam(
        "Hemtjänstplaneraren",
        "hemtjanst-planering",
        "deltagare",
        ("sofia",),
        "Hemtjänstplaneraren – färre resor, fler besök",
        "Ruttplanering för hemtjänsten som tar hänsyn till smittskydd: samma personal hos "
        "samma brukare.",
        "Scheman byggdes för hand, och många i personalen mötte för många brukare.",
        "Hemtjänstens planerare",
        "AGPL-3.0-or-later",
        3,
        None,
    ),
]

# How each jury member scores, relative to a solution's quality: the harsh
# one gives less, the lenient one more (the normalised ranking evens it out).
LEANING = {"jury": 0, "jury2": -1, "jury3": 1, "goteborg": 0}
JUSTIFICATIONS = {
    5: "Mycket starkt: tydlig nytta och väl underbyggt.",
    4: "Starkt, med små brister i underlaget.",
    3: "Godtagbart, men flera frågor återstår.",
    2: "Svagt: nyttan är oklar.",
    1: "Uppfyller inte kriteriet.",
}


def _day(offset_days: int, hour: int = 12) -> datetime:
    today = timezone.localdate()
    moment = datetime(today.year, today.month, today.day, hour, 0, tzinfo=STOCKHOLM)
    return moment + timedelta(days=offset_days)


def _crisis_offsets() -> tuple[int, ...]:
    return next(row[3] for row in content.EVENTS if row[0] == CRISIS)


def _jurors(ctx: DemoContext) -> dict[str, User]:
    keys = ("jury", "jury2", "jury3", "goteborg")
    return {key: ctx.users[key] for key in keys if key in ctx.users}


def _teams_and_solutions(ctx: DemoContext) -> dict[str, Solution]:
    solutions: dict[str, Solution] = {}
    for plan in TEAMS:
        lead = ctx.users[plan.lead]
        team = team_services.team_create(
            user=lead, name=plan.name, challenge=ctx.challenges[plan.challenge]
        )
        for username in plan.members:
            invitation = team_services.invitation_create(
                user=lead, team=team, invitee=ctx.users[username].email, notify=False
            )
            team_services.invitation_accept(user=ctx.users[username], invitation=invitation)
        dataset_ids = list(
            ChallengeDataset.objects.filter(challenge=team.challenge)
            .order_by("created_at", "pk")
            .values_list("dataset_id", flat=True)[:2]
        )
        solution = solution_services.solution_create(user=lead, team=team, title=plan.title)
        solution = solution_services.solution_save(
            user=lead,
            solution=solution,
            expected_version=solution.version,
            title=plan.title,
            summary=plan.summary,
            problem=plan.problem,
            target_group=plan.target_group,
            dataset_ids=dataset_ids,
            licence=plan.licence,
            repository_url=f"https://example.org/{team.pk}",
        )
        solutions[plan.name] = solution_services.solution_submit(user=lead, solution=solution)
    return solutions


def _score(assignment: Assignment, juror_key: str, quality: int) -> None:
    values: dict[int, tuple[Any, Any]] = {}
    for index, criterion in enumerate(Criterion.objects.filter(round=assignment.entry.round)):
        low, high = criterion.bounds
        value = max(low, min(high, quality + LEANING.get(juror_key, 0) - index % 2))
        values[criterion.pk] = (value, JUSTIFICATIONS[max(1, min(5, value))])
    services.scores_save(
        actor=assignment.juror.user, assignment=assignment, values=values, submit=True
    )


def _evaluate(
    ctx: DemoContext, organizer: User, solutions: dict[str, Solution], jurors: dict[str, User]
) -> EvaluationRound:
    now = timezone.now()
    round = services.round_create(
        actor=organizer,
        event=ctx.events[CRISIS],
        title="Bedömning Hack the Crisis Sverige",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        jurors_per_solution=3,
        guidance="Bedöm varje lösning för sig, mot kriterierna. Motivera varje poäng.",
    )
    for user in jurors.values():
        services.juror_add(actor=organizer, round=round, user=user, notify=False)
    services.round_open(actor=organizer, round=round)
    services.assignments_auto(actor=organizer, round=round)

    # The jury member who knows a member of "Fika på distans" says so: the
    # assignment is recused and the solution goes to another jury member.
    fika = solutions["Fika på distans"]
    conflicted = (
        Assignment.objects.filter(entry__round=round, entry__solution=fika)
        .select_related("juror__user")
        .order_by("juror__user__email")
        .first()
    )
    if conflicted is not None:
        services.conflict_declare(
            actor=conflicted.juror.user,
            assignment_or_entry=conflicted,
            reason=ConflictReason.KNOWS_MEMBER,
            explanation="En i teamet är min tidigare kollega.",
        )

    key_of = {user.pk: key for key, user in jurors.items()}
    quality = {solutions[plan.name].pk: plan.quality for plan in TEAMS}
    for assignment in (
        Assignment.objects.filter(entry__round=round, status=AssignmentStatus.ASSIGNED)
        .select_related("juror__user", "entry__round")
        .order_by("pk")
    ):
        _score(assignment, key_of[assignment.juror.user_id], quality[assignment.entry.solution_id])
    services.round_close(actor=organizer, round=round)

    ranked = round_results(round)
    for row in ranked[:3]:
        award_services.entry_shortlist(actor=organizer, entry=row.entry, shortlisted=True)
    for entry in Entry.objects.filter(round=round):
        award_services.feedback_release(actor=organizer, entry=entry, released=True)
    return round


def _award(
    ctx: DemoContext,
    organizer: User,
    round: EvaluationRound,
    solutions: dict[str, Solution],
) -> list[AwardCategory]:
    event = ctx.events[CRISIS]
    categories = award_services.award_categories_create_defaults(actor=organizer, event=event)
    by_kind = {c.kind: c for c in categories}
    jury_categories = [c for c in categories if c.kind == AwardKind.JURY]
    ranked = [row.entry.solution for row in round_results(round)]
    for category, solution in zip(jury_categories, ranked, strict=False):
        award_services.award_give(
            actor=organizer,
            category=category,
            solution=solution,
            citation=f"{solution.title.split(' – ')[0]} visar hur öppna data gör nytta i en kris.",
        )
    people = by_kind.get(AwardKind.PEOPLE)
    if people is not None:
        now = timezone.now()
        award_services.award_category_update(
            actor=organizer,
            category=people,
            name=people.name,
            description=people.description,
            kind=people.kind,
            voting_opens=now - timedelta(minutes=5),
            voting_closes=now + timedelta(minutes=5),
        )
        voters = ["deltagare", "utvecklare", "nora", "ahmed", "linnea", "mentor", "jury"]
        favourites = ["Fika på distans", "Fika på distans", "Smittkartan", "Fika på distans"]
        for index, username in enumerate(voters):
            if username in ctx.users:
                choice = favourites[index % len(favourites)]
                award_services.vote_cast(
                    actor=ctx.users[username], category=people, solution=solutions[choice]
                )
        # The voting closed at the event (see _backdate); the organizer awards the most voted.
        AwardCategory.objects.filter(pk=people.pk).update(voting_closes=now - timedelta(seconds=1))
        people.refresh_from_db()
        award_services.award_give_top_voted(actor=organizer, category=people)
    for category in categories:
        award_services.award_category_publish(actor=organizer, category=category)
    return categories


def _realize(ctx: DemoContext, organizer: User, solutions: dict[str, Solution]) -> None:
    owner_of = {
        org_slug: ctx.users[username]
        for username, _e, _n, _s, _c, _o, memberships in content.USERS
        for org_slug, role in memberships
        if role == "need_owner"
    }
    challenge_owner = {row[0]: row[2] for row in content.CHALLENGES}
    for plan in TEAMS:
        if plan.decision is None:
            continue
        actor = owner_of.get(challenge_owner[plan.challenge], organizer)
        realization = realization_services.realization_decide(
            actor=actor, solution=solutions[plan.name], decision=plan.decision, reason=plan.reason
        )
        for _days, title, update in plan.milestones:
            realization_services.milestone_add(
                actor=actor, realization=realization, date=date.today(), title=title, update=update
            )


def _backdate(round: EvaluationRound, solutions: dict[str, Solution]) -> None:
    """Move what was made just now to the crisis event's own dates."""
    _opens, _starts, deadline, evaluation, results = _crisis_offsets()
    awarded = _day(results, 12)
    EvaluationRound.objects.filter(pk=round.pk).update(
        opens_at=_day(deadline + 1, 9),
        closes_at=_day(evaluation, 17),
        opened_at=_day(deadline + 1, 9),
        closed_at=_day(evaluation, 17),
    )
    Assignment.objects.filter(entry__round=round, submitted_at__isnull=False).update(
        submitted_at=_day(evaluation - 2, 15)
    )
    Entry.objects.filter(round=round, feedback_released_at__isnull=False).update(
        feedback_released_at=awarded
    )
    AwardCategory.objects.filter(event=round.event).update(published_at=awarded)
    AwardCategory.objects.filter(event=round.event, kind=AwardKind.PEOPLE).update(
        voting_opens=_day(deadline + 1, 9), voting_closes=_day(evaluation, 17)
    )
    Vote.objects.filter(category__event=round.event).update(created_at=_day(evaluation - 3, 20))
    ids = [s.pk for s in solutions.values()]
    for follow_up in FollowUp.objects.filter(solution_id__in=ids):
        due = realization_services.add_months(awarded, follow_up.months)
        sent = due if due <= timezone.now() else None
        FollowUp.objects.filter(pk=follow_up.pk).update(due_at=due, sent_at=sent)
    for plan in TEAMS:
        solution = solutions[plan.name]
        realization = Realization.objects.filter(solution=solution).first()
        if realization is None:
            continue
        first = plan.milestones[0][0] if plan.milestones else 30
        Realization.objects.filter(pk=realization.pk).update(decided_at=awarded + timedelta(first))
        for milestone, (days, _title, _update) in zip(
            Milestone.objects.filter(realization=realization).order_by("pk"),
            plan.milestones,
            strict=True,
        ):
            Milestone.objects.filter(pk=milestone.pk).update(
                date=(awarded + timedelta(days)).date()
            )
        # A milestone after the six-month reminder answered it.
        for follow_up in FollowUp.objects.filter(solution=solution, sent_at__isnull=False):
            later = [
                d for d, _t, _u in plan.milestones if awarded + timedelta(d) >= follow_up.due_at
            ]
            if later:
                FollowUp.objects.filter(pk=follow_up.pk).update(
                    answered_at=awarded + timedelta(days=min(later))
                )


def _prepare_annual(ctx: DemoContext, organizer: User, jurors: dict[str, User]) -> None:
    event: Event = ctx.events[ANNUAL]
    round = services.round_create(
        actor=organizer,
        event=event,
        title="Bedömning Hack for Sweden 2027",
        opens_at=event.submission_deadline + timedelta(days=60),
        closes_at=event.submission_deadline + timedelta(days=75),
        blind=True,
        jurors_per_solution=2,
        guidance="Blind bedömning: juryn ser inte teamens namn.",
    )
    for key in ("jury", "jury2"):
        if key in jurors:
            services.juror_add(actor=organizer, round=round, user=jurors[key], notify=False)


def load(ctx: DemoContext) -> None:
    organizer = ctx.users["arrangor"]
    jurors = _jurors(ctx)
    solutions = _teams_and_solutions(ctx)
    round = _evaluate(ctx, organizer, solutions, jurors)
    categories = _award(ctx, organizer, round, solutions)
    _realize(ctx, organizer, solutions)
    _backdate(round, solutions)
    _prepare_annual(ctx, organizer, jurors)
    counts = ctx.result.counts
    counts["evaluation rounds"] = EvaluationRound.objects.count()
    counts["scores"] = sum(a.scores.count() for a in Assignment.objects.filter(entry__round=round))
    counts["conflicts of interest"] = round.entries.filter(conflicts__isnull=False).count()
    counts["awards"] = Award.objects.filter(category__in=categories).count()
    counts["realization decisions"] = Realization.objects.count()
