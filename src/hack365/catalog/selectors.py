"""Reads for the catalog's public pages: dataset search with facets, one
dataset, the datasets linked to a challenge and the datasets recommended
for it. Harvesting reads for organizers are in harvest_selectors.py."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from hack365.challenges import selectors as challenge_selectors
from hack365.challenges.models import Challenge
from hack365.core.models import DataTheme

from . import labels
from .models import ChallengeDataset, Dataset, Distribution, Publisher
from .search import FACETS, SearchResult, search_datasets
from .search.text import MAX_WORD_CHARS, fold
from .stopwords import is_stopword

# Facet values shown before "and N more" (the selected ones are always shown).
FACET_VALUES_SHOWN = 12


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    values: list[FacetValue]
    hidden_count: int  # values not shown

    @property
    def selected(self) -> list[FacetValue]:
        return [v for v in self.values if v.selected]


@dataclass
class DatasetSearchPage:
    result: SearchResult
    datasets: list[Dataset]
    facets: list[Facet] = field(default_factory=list)


def _language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _with_card_data(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """What a dataset card shows, in a constant number of queries."""
    return qs.select_related("publisher").prefetch_related("themes")


def datasets_in_order(ids: Iterable[int]) -> list[Dataset]:
    wanted = list(ids)
    if not wanted:
        return []
    found = {d.pk: d for d in _with_card_data(Dataset.objects.filter(pk__in=wanted))}
    return [found[i] for i in wanted if i in found]


def _facet_labels(
    facets: Mapping[str, list[tuple[str, int]]], selected: Mapping[str, Any]
) -> Callable[[str, str], str]:
    """Readable labels for every facet value shown (one query for publishers,
    one for themes)."""
    publisher_ids: set[int] = set()
    for value, _count in facets.get("publisher", []):
        if value.isdigit():
            publisher_ids.add(int(value))
    for value in selected.get("publisher", ()):
        if str(value).isdigit() and len(str(value)) < 19:
            publisher_ids.add(int(value))
    publishers = {str(p.pk): p.display_name for p in Publisher.objects.filter(pk__in=publisher_ids)}
    themes = {t.code: t.name for t in DataTheme.objects.all()}

    def label(facet: str, value: str) -> str:
        if facet == "publisher":
            return publishers.get(value, value)
        if facet == "theme":
            return themes.get(value, value)
        if facet == "license":
            return labels.licence_label(value)
        if facet == "access_rights":
            return labels.access_rights_label(value)
        return value

    return label


def search_page(
    *,
    query: str,
    filters: Mapping[str, Iterable[str]],
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
) -> DatasetSearchPage:
    """One page of the dataset search, with the facets to refine it."""
    result = search_datasets(
        query, filters=filters, sort=sort, page=page, page_size=page_size, language=_language()
    )
    if result.page > result.max_page and result.total:
        result = search_datasets(
            query,
            filters=filters,
            sort=sort,
            page=result.max_page,
            page_size=page_size,
            language=_language(),
        )
    label = _facet_labels(result.facets, filters)
    facets = []
    for name in FACETS:
        chosen = [str(v) for v in filters.get(name, ())]
        counts = dict(result.facets.get(name, []))
        values: list[FacetValue] = []
        for value, count in result.facets.get(name, [])[:FACET_VALUES_SHOWN]:
            values.append(FacetValue(value, label(name, value), count, value in chosen))
        shown = {v.value for v in values}
        for value in chosen:
            if value not in shown:
                values.append(FacetValue(value, label(name, value), counts.get(value, 0), True))
        hidden = max(0, len(counts) - len([v for v in values if v.value in counts]))
        facets.append(Facet(name=name, values=_distinct_labels(values), hidden_count=hidden))
    return DatasetSearchPage(result=result, datasets=datasets_in_order(result.ids), facets=facets)


def _distinct_labels(values: list[FacetValue]) -> list[FacetValue]:
    """Two values with one label (the same licence written as an EU
    vocabulary address and as a Creative Commons address) get the address's
    host beside the label, so that the two checkboxes can be told apart."""
    seen: dict[str, int] = {}
    for value in values:
        seen[value.label] = seen.get(value.label, 0) + 1
    out = []
    for value in values:
        if seen[value.label] > 1:
            host = urlsplit(value.value).hostname or value.value[:40]
            value = FacetValue(value.value, f"{value.label} ({host})", value.count, value.selected)
        out.append(value)
    return out


# --- one dataset --------------------------------------------------------------------


def access_dataset(user: Any, pk: int) -> Dataset:
    """A dataset for its page: every harvested dataset is public (a withdrawn
    one too, marked as such, since challenges may link it)."""
    try:
        return (
            Dataset.objects.select_related("publisher", "publisher__organization", "source")
            .prefetch_related(
                "themes",
                Prefetch("distributions", queryset=Distribution.objects.order_by("position", "id")),
                "services",
            )
            .get(pk=pk)
        )
    except (Dataset.DoesNotExist, ValueError, OverflowError) as error:
        raise Http404("No such dataset") from error


def challenges_linking(user: Any, dataset: Dataset) -> list[ChallengeDataset]:
    """The links from challenges ``user`` may see to this dataset."""
    challenge_ids = challenge_selectors.visible_challenges(user).values("pk")
    return list(
        ChallengeDataset.objects.filter(dataset=dataset, challenge_id__in=challenge_ids)
        .select_related("challenge", "challenge__owner")
        .order_by("-challenge__published_at", "challenge__title")
    )


def challenge_links(challenge: Challenge) -> list[ChallengeDataset]:
    """The datasets linked to a challenge (the caller has checked access)."""
    return list(
        ChallengeDataset.objects.filter(challenge=challenge)
        .select_related("dataset", "dataset__publisher")
        .prefetch_related("dataset__themes")
        .order_by("created_at", "id")
    )


def access_link(user: Any, challenge: Challenge, pk: int) -> ChallengeDataset:
    try:
        return ChallengeDataset.objects.select_related("dataset").get(pk=pk, challenge=challenge)
    except (ChallengeDataset.DoesNotExist, ValueError, OverflowError) as error:
        raise Http404("No such link") from error


# --- recommendations ----------------------------------------------------------------

RECOMMEND_WORDS = 8  # distinctive words of a challenge that count
RECOMMEND_TRIES = 16  # words searched for at most, to find those
RECOMMEND_CANDIDATES = 40  # per word
RECOMMEND_CACHE_SECONDS = 600
MAX_CHALLENGE_TEXT = 6000  # characters of a challenge's text read for its words
_WORD = re.compile(r"[^\W_]+")
# A word in more than this share of all datasets (and in more than the floor)
# tells nothing about a challenge.
COMMON_SHARE = 0.3
COMMON_FLOOR = 30
THEME_WEIGHT = 1.5  # a shared EU theme counts like a fairly rare word
TITLE_WEIGHT = 2.0  # a word of the challenge's title says more than one of its text


@dataclass(frozen=True)
class Recommendation:
    dataset: Dataset
    score: float
    matched_words: list[str]
    shared_themes: list[DataTheme]


def challenge_words(challenge: Challenge) -> list[str]:
    """The distinctive words of a challenge (title first, then summary,
    target group and problem), without stop words."""
    text = " ".join(
        [challenge.title, challenge.summary, challenge.target_group, challenge.problem[:2000]]
    )
    words: list[str] = []
    for word in _all_words(text):
        if len(word) < 3 or word.isdigit() or is_stopword(word) or word in words:
            continue
        words.append(word)
    return words


def _all_words(text: str) -> list[str]:
    """Every distinct word of ``text``, as query_words splits and folds them
    (query_words itself keeps only the first few)."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text[:MAX_CHALLENGE_TEXT])):
        word = match.group().lower()
        if len(word) <= MAX_WORD_CHARS and word not in out:
            out.append(word)
    return out


def _ranked_words(words: list[str], language: str) -> list[tuple[str, float, list[int]]]:
    """(word, inverse document frequency, best matching ids) for the most
    distinctive words: a word in most datasets says little, one in none
    nothing."""
    everything = search_datasets("", page_size=1, language=language).total or 1
    scored = []
    for word in words[:RECOMMEND_TRIES]:
        result = search_datasets(word, page_size=RECOMMEND_CANDIDATES, language=language)
        common = result.total > max(COMMON_FLOOR, everything * COMMON_SHARE)
        if not result.total or common or (everything > 1 and result.total >= everything):
            continue
        idf = math.log(1 + everything / result.total)
        scored.append((word, idf, result.ids))
        if len(scored) == RECOMMEND_WORDS:
            break
    return scored


def recommended_datasets(challenge: Challenge, *, limit: int = 6) -> list[Recommendation]:
    """Datasets that match a challenge's text, best first, with the reasons:
    the challenge's words they contain and the EU themes they share. Linked
    and withdrawn datasets are left out. Cached for a few minutes per
    challenge text and language."""
    language = _language()
    themes = {t.code: t for t in challenge.themes.all()}
    linked = set(challenge.dataset_links.values_list("dataset_id", flat=True))
    words = challenge_words(challenge)
    fingerprint = hashlib.sha256(
        "\x1f".join([language, *words, *sorted(themes), *map(str, sorted(linked))]).encode()
    ).hexdigest()[:32]
    key = f"catalog:recommend:{challenge.pk}:{fingerprint}"
    cached = cache.get(key)
    if cached is None:
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        in_title = set(_all_words(challenge.title))
        for word, idf, ids in _ranked_words(words, language):
            weight = idf * (TITLE_WEIGHT if word in in_title else 1.0)
            for rank, dataset_id in enumerate(ids):
                if dataset_id in linked:
                    continue
                # Best matches of a word count a little more than the tail.
                scores[dataset_id] = scores.get(dataset_id, 0.0) + weight * (
                    1 - rank / (2 * len(ids))
                )
                matched.setdefault(dataset_id, []).append(word)
        cached = [(i, s, matched[i]) for i, s in scores.items()]
        cache.set(key, cached, RECOMMEND_CACHE_SECONDS)
    candidates = {i: (s, m) for i, s, m in cached}
    if not candidates:
        return []
    datasets = {
        d.pk: d for d in _with_card_data(Dataset.objects.filter(pk__in=candidates, withdrawn=False))
    }
    recommendations = []
    for dataset_id, (score, words_matched) in candidates.items():
        dataset = datasets.get(dataset_id)
        if dataset is None:
            continue
        shared = [t for t in dataset.themes.all() if t.code in themes]
        total = score + THEME_WEIGHT * len(shared)
        recommendations.append(Recommendation(dataset, total, words_matched, shared))
    recommendations.sort(key=lambda r: (-r.score, -len(r.matched_words), r.dataset.pk))
    return recommendations[:limit]


# --- an organisation's datasets -----------------------------------------------------


@dataclass(frozen=True)
class OrganizationDatasets:
    total: int
    latest: list[Dataset]
    publisher_ids: list[int]  # for a link to the dataset search, filtered


def organization_datasets(organization: Any, *, limit: int = 6) -> OrganizationDatasets:
    """The datasets an organisation publishes (through the catalog
    publishers matched to it), newest first; withdrawn ones left out."""
    publisher_ids = sorted(
        Publisher.objects.filter(organization=organization).values_list("pk", flat=True)
    )
    if not publisher_ids:
        return OrganizationDatasets(total=0, latest=[], publisher_ids=[])
    datasets = Dataset.objects.filter(publisher_id__in=publisher_ids, withdrawn=False)
    return OrganizationDatasets(
        total=datasets.count(),
        latest=list(_with_card_data(datasets.order_by("-modified", "-id"))[:limit]),
        publisher_ids=publisher_ids,
    )


# --- reuse: the public solutions that use a dataset ---------------------------------


@dataclass(frozen=True)
class ReusingSolutions:
    total: int
    solutions: list[Any]  # submissions.Solution, with team and challenge


def solutions_reusing(dataset: Dataset, *, limit: int = 50) -> ReusingSolutions:
    """The public solutions that record a reuse of ``dataset`` (submitted ones
    on public challenges), newest first, in two queries."""
    from hack365.submissions.selectors import public_solutions

    qs = public_solutions().filter(reuses__dataset=dataset)
    solutions = list(
        qs.select_related("team", "challenge").order_by("-submitted_at", "-pk")[:limit]
    )
    total = len(solutions) if len(solutions) < limit else qs.count()
    return ReusingSolutions(total=total, solutions=solutions)


@dataclass(frozen=True)
class OrganizationReuse:
    total: int
    solutions: list[Any]  # each with ``reused_datasets``: that organisation's datasets it uses


def organization_reuse(organization: Any, *, limit: int = 10) -> OrganizationReuse:
    """The public solutions reusing datasets an organisation publishes
    (through the catalog publishers matched to it), newest first, each with
    the organisation's datasets it reuses; a constant number of queries."""
    from hack365.catalog.models import Reuse
    from hack365.submissions.selectors import public_solutions

    qs = public_solutions().filter(reuses__dataset__publisher__organization=organization).distinct()
    solutions = list(
        qs.select_related("team", "challenge").order_by("-submitted_at", "-pk")[:limit]
    )
    if not solutions:
        return OrganizationReuse(total=0, solutions=[])
    reused: dict[int, list[Dataset]] = {}
    for reuse in (
        Reuse.objects.filter(solution__in=solutions, dataset__publisher__organization=organization)
        .select_related("dataset")
        .order_by("dataset_id")
    ):
        reused.setdefault(reuse.solution_id, []).append(reuse.dataset)
    for solution in solutions:
        solution.reused_datasets = reused.get(solution.pk, [])  # type: ignore[attr-defined]
    total = len(solutions) if len(solutions) < limit else qs.count()
    return OrganizationReuse(total=total, solutions=solutions)
