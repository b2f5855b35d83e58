"""Theme suggestions: rank an instance's themes for a proposal from the words they share.

Each theme is a small document: its label (counted three times) and description, in
French and English. A proposal is a query: its title (counted twice) and abstract.
Words are folded (lower case, no accents), stop words of both languages dropped and
suffixes lightly stripped, so "données", "Donnee" and "data" style variants meet.
A theme's raw score is BM25 over the six theme documents:

    raw(theme) = sum over query words w of  q(w) * idf(w) * tf(w, theme) * (k1 + 1)
                                            / (tf(w, theme) + k1 * (1 - b + b * len(theme) / avg_len))

with q(w) = 1 + ln(count of w in the query), idf(w) = ln(1 + (N - df + 0.5) / (df + 0.5)),
N themes of which df contain w. Matching is on stems only: also letting a word match
the words it prefixes made the sample instance's figures worse (docs/import.md). The
score shown is the theme's share of the proposal's total raw score, so the scores of
one proposal sum to 1 (or are all 0 when no word matches).
"""

from __future__ import annotations

import copy
import json
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scheduler.errors import InputError
from scheduler.files import write_atomic
from scheduler.instance import Instance, Proposal, Theme, parse_instance, read_document

logger = logging.getLogger(__name__)

LABEL_WEIGHT = 3
TITLE_WEIGHT = 2
K1 = 1.2
B = 0.5
DEFAULT_THRESHOLD = 0.5

# Function words and question words of French and English, already folded.
_STOP_WORDS_TEXT = """
    a ai au aux avec ce ces cet cette ceci cela ca chez comme dans de des du elle elles en
    entre est et etre eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne
    ni nos notre nous on ou par pas plus pour qu que quel quelle quelles quels qui sa sans se
    ses si son sont sur ta te tes toi ton tous tout toute toutes tu un une vos votre vous y
    ete etait sera seront peut peuvent doit doivent faire fait font avoir ont sans autre autres
    aussi alors ainsi donc dont deja encore tres trop bien ici lors puis afin selon
    sous vers via chaque plusieurs certains certaines aucun aucune quoi comment pourquoi quand
    combien apres avant depuis pendant contre cas part partir notamment egalement souvent
    aujourd hui nouveau nouvelle nouveaux nouvelles premier premiere deux trois quatre cinq
    dix vingt celui celle ceux celles leurs lorsque car or non oui mieux moins tant peu
    the an and or of to in on at by for with from into over under about as is are was were be
    been being this that these those it its they them their we our you your he she his her
    i me my not no but if then than so such can could should would will shall may might must
    do does did done have has had what which who whom whose how why when where there here
    also more most less very much many some any each every other others both between through
    during before after above below again further once only own same too just out up down off
    per via vs versus one two three four five ten twenty us let lets new
    keynote initiative presentation talk temps participatif participatory format atelier
    workshop session audience participants
    mettre oeuvre place reste rest suivant suivants following later rather plutot propose
    proposons proposer presenter presenterons present discuter discuss discussion partir
    question questions enjeu enjeux issue issues point points exemple example cadre face
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Suffixes stripped once, longest first, keeping a stem of four letters at least.
_SUFFIXES_TEXT = """
    issements issement ements ement ations ation ateurs ateur atrices atrice ances ance
    ences ence ency ancy ites ite ities ity iques ique ismes isme istes iste ables able ibles
    ible eurs euse euses eux ives ive ifs if aires aire ments ment ings ing ized ised izes
    ises ize ise ers er ees ee es ed e al aux ial ical ic ics ly ness ous ant ent ure ures
    ate ates ated ating
"""
_SUFFIXES = sorted(set(_SUFFIXES_TEXT.split()), key=len, reverse=True)
_ELISION = re.compile(r"\b(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower case without accents or ligatures: 'Œuvre Données' -> 'oeuvre donnees'."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    """Strip one plural and one common French or English suffix: 'evaluations' -> 'evalu'."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the content words of `text`, in order."""
    pairs: list[tuple[str, str]] = []
    for token in _WORD.findall(fold(_ELISION.sub(" ", text))):
        for part in token.split("-"):
            if len(part) >= 2 and not part.isdigit() and part not in STOP_WORDS:
                pairs.append((stem(part), part))
    return pairs


@dataclass(frozen=True)
class Suggestion:
    """One theme for one proposal: its share of the evidence and the words behind it."""

    theme: str
    score: float
    words: tuple[tuple[str, float], ...] = ()


@dataclass
class ProposalSuggestions:
    """A proposal's themes, ranked best first, beside the themes it already has."""

    proposal: str
    title: str
    current: list[str]
    ranked: list[Suggestion] = field(default_factory=list)

    @property
    def top(self) -> str | None:
        return self.ranked[0].theme if self.ranked and self.ranked[0].score > 0 else None

    def pick(self, threshold: float = DEFAULT_THRESHOLD) -> list[str]:
        """The top theme, and the second when its score is at least `threshold` times the top's."""
        if self.top is None:
            return []
        chosen = [self.ranked[0].theme]
        if len(self.ranked) > 1 and self.ranked[1].score >= threshold * self.ranked[0].score:
            chosen.append(self.ranked[1].theme)
        return chosen


class ThemeIndex:
    """The themes as BM25 documents; `rank` scores a proposal's text against them."""

    def __init__(self, themes: Sequence[Theme]):
        self.themes = [t.id for t in themes]
        self.tf: dict[str, Counter[str]] = {}
        for theme in themes:
            counts: Counter[str] = Counter()
            for text in (theme.label.fr, theme.label.en):
                for _ in range(LABEL_WEIGHT):
                    counts.update(s for s, _ in words(text))
            if theme.description is not None:
                for text in (theme.description.fr, theme.description.en):
                    counts.update(s for s, _ in words(text))
            self.tf[theme.id] = counts
        self.length = {t: sum(c.values()) for t, c in self.tf.items()}
        self.avg_length = sum(self.length.values()) / max(1, len(self.length)) or 1.0
        df: Counter[str] = Counter()
        for counts in self.tf.values():
            df.update(counts.keys())
        n = len(self.themes)
        self.idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}

    def _term(self, word: str, theme: str) -> float:
        tf = self.tf[theme].get(word, 0)
        if not tf:
            return 0.0
        norm = K1 * (1 - B + B * self.length[theme] / self.avg_length)
        return self.idf[word] * tf * (K1 + 1) / (tf + norm)

    def rank(self, title: str, abstract: str = "") -> list[Suggestion]:
        """Every theme with its score (shares summing to 1, or all 0), best first."""
        query: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = defaultdict(Counter)
        for text, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
            for s, word in words(text):
                query[s] += weight
                surface[s][word] += 1
        raw: dict[str, float] = {}
        evidence: dict[str, Counter[str]] = {}
        for theme in self.themes:
            total = 0.0
            by_word: Counter[str] = Counter()
            for s, count in query.items():
                contribution = self._term(s, theme)
                if contribution > 0:
                    contribution *= 1 + math.log(count)
                    total += contribution
                    by_word[surface[s].most_common(1)[0][0]] += contribution
            raw[theme] = total
            evidence[theme] = by_word
        grand = sum(raw.values())
        ranked = [
            Suggestion(
                theme=theme,
                score=raw[theme] / grand if grand else 0.0,
                words=tuple((w, c / grand) for w, c in evidence[theme].most_common(5) if grand),
            )
            for theme in self.themes
        ]
        # Stable on ties: the instance's theme order decides.
        ranked.sort(key=lambda s: -s.score)
        return ranked


def suggest(
    instance: Instance, proposals: Iterable[Proposal] | None = None
) -> list[ProposalSuggestions]:
    """Ranked themes for each proposal of `instance` (all of them by default)."""
    index = ThemeIndex(instance.themes)
    return [
        ProposalSuggestions(
            proposal=p.id,
            title=p.title,
            current=list(p.themes),
            ranked=index.rank(p.title, p.abstract),
        )
        for p in (instance.proposals if proposals is None else proposals)
    ]


@dataclass(frozen=True)
class Accuracy:
    """How often suggestions agree with the primary themes coordinators chose."""

    proposals: int
    top1: int
    top2: int
    any_theme: int
    baseline: int
    baseline_theme: str | None

    def rate(self, hits: int) -> float:
        return hits / self.proposals if self.proposals else 0.0


def accuracy(suggestions: Sequence[ProposalSuggestions]) -> Accuracy:
    """Top-1 and top-2 agreement with the primary theme, against always guessing the commonest."""
    judged = [s for s in suggestions if s.current]
    primaries = Counter(s.current[0] for s in judged)
    commonest, baseline = primaries.most_common(1)[0] if primaries else (None, 0)
    return Accuracy(
        proposals=len(judged),
        top1=sum(1 for s in judged if s.top == s.current[0]),
        top2=sum(1 for s in judged if s.current[0] in [r.theme for r in s.ranked[:2] if r.score]),
        any_theme=sum(1 for s in judged if s.top in s.current),
        baseline=baseline,
        baseline_theme=commonest,
    )


# ---------------------------------------------------------------------------
# Applying suggestions to an instance file
# ---------------------------------------------------------------------------


def apply_themes(
    path: Path, picks: dict[str, list[str]], target: Path | None = None
) -> dict[str, list[str]]:
    """Write `picks` into the proposals of `path` that have no theme, keeping the rest of the file.

    YAML files are edited in place, so comments and layout survive; the edit is checked by
    reloading it, and if it does not give exactly the expected data the file is re-dumped
    instead (losing comments, never data). A proposal that already has themes is never
    touched. Returns the themes written, by proposal id.
    """
    path = Path(path)
    target = Path(target) if target is not None else path
    data = read_document(path)
    proposals = data.get("proposals") if isinstance(data, dict) else None
    if not isinstance(proposals, list):
        raise InputError(path, None, "proposals", "expected a list of proposals")
    applied: dict[str, list[str]] = {}
    expected = copy.deepcopy(data)
    for proposal in expected["proposals"]:
        if not isinstance(proposal, dict):
            continue
        themes = picks.get(str(proposal.get("id")))
        if themes and not proposal.get("themes"):
            proposal["themes"] = list(themes)
            applied[str(proposal["id"])] = list(themes)
    if not applied and target == path:
        return applied
    if path.suffix.lower() == ".json":
        text = json.dumps(expected, indent=2, ensure_ascii=False, default=str) + "\n"
    else:
        original = path.read_text(encoding="utf-8")
        text = _edit_yaml_themes(original, applied)
        if text is None or yaml.safe_load(text) != expected:
            logger.warning("%s: could not edit the themes in place; rewrote the file", path)
            from scheduler.importer import dump_instance

            text = dump_instance(expected)
    parse_instance(yaml.safe_load(text) if path.suffix.lower() != ".json" else expected, target)
    write_atomic(target, text)
    return applied


def _yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as the same string."""
    return value if yaml.safe_load(value) == value else json.dumps(value)


def _edit_yaml_themes(text: str, applied: dict[str, list[str]]) -> str | None:
    """`text` with `themes: [...]` set for each proposal of `applied`; None for shapes it does not know."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    section = next((v for k, v in root.value if k.value == "proposals"), None)
    if not isinstance(section, yaml.SequenceNode):
        return None
    edits: list[tuple[int, int, str]] = []
    for item in section.value:
        if not isinstance(item, yaml.MappingNode):
            return None
        keys = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        if "id" not in keys or keys["id"][1].value not in applied:
            continue
        flow = "[" + ", ".join(_yaml_scalar(t) for t in applied[keys["id"][1].value]) + "]"
        if "themes" in keys:
            value = keys["themes"][1]
            start, end = value.start_mark.index, value.end_mark.index
            if isinstance(value, yaml.SequenceNode) and not value.value and value.flow_style:
                edits.append((start, end, flow))
            elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
                edits.append((start, end, (" " if text[start - 1 : start] == ":" else "") + flow))
            else:
                return None
            continue
        id_key, id_value = keys["id"]
        if item.flow_style:
            edits.append((id_value.end_mark.index, id_value.end_mark.index, f", themes: {flow}"))
        else:
            line_end = text.find("\n", id_value.end_mark.index)
            at = len(text) if line_end < 0 else line_end + 1
            prefix = "\n" if line_end < 0 else ""
            indent = " " * id_key.start_mark.column
            edits.append((at, at, f"{prefix}{indent}themes: {flow}\n"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
