"""Words that say nothing about which data a challenge needs: Swedish and
English function words, plus words every challenge uses ("data",
"lösning"). Used to pick a challenge's distinctive words for dataset
recommendations; the search engines have their own stop word lists."""

from __future__ import annotations

from .search.text import fold

_SWEDISH = """
och det att i en jag hon som han på den med var sig för så till är men ett om
hade de av icke mig du henne då sin nu har inte hans honom skulle hennes där
min man ej vid kunde något från ut när efter upp vi dem vara vad över än dig kan
sina här ha mot alla under någon eller allt mycket sedan ju denna själv detta åt
utan varit hur ingen mitt ni bli blev oss din dessa några deras blir mina samma
vilken er sådan vår blivit dess inom mellan sådant varför varje vilka ditt vem
vilket sitta sådana vart dina vars vårt våra ert era vilkas
alla allt andra annan annat att av bara bättre blir bli bland de dem den denna
deras dess dessa det detta dig din dina ditt du där då efter eftersom ej eller
en er era ert ett fler flera från för före genom ha hade han har hela hem hon
hos hur här i icke ingen inom inte jag kan kommer kunde kunna man mellan men
mer mest mig min mina mitt mot mycket många måste ni nu när någon något några
och också om oss på samma sedan sig sin sina sitt själv ska skall skulle som
så sådan sådana till under upp ut utan vad var vara varför varje vars vem vi
vid vilka vilken vilket vill vår våra vårt än är åt över även
behov behöver bra data dag dagar del delar dessutom finns fler få får gör göra
hjälp hjälpa idag kunna lösning lösningar nya nytt ny olika sätt tar ta tid
utmaning utmaningen utmaningar år öppna öppen öppet enkelt enkla enkel ökad öka
antal antalet andel andelen personer människor många fler färre minska minskar
"""
_ENGLISH = """
a about after all also an and any are as at be been before being between both
but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself
just me more most my no nor not now of off on once only or other our ours out
over own same she should so some such than that the their theirs them then
there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours
better challenge challenges data day days get help make makes many much need
needs new open people solution solutions use used using way ways well year
years
"""

STOPWORDS: frozenset[str] = frozenset(fold(word) for word in (_SWEDISH + _ENGLISH).split() if word)


def is_stopword(word: str) -> bool:
    """``word`` is lower-cased and accent-folded (as text.query_words gives)."""
    return word in STOPWORDS
