"""Theme suggestions: rank an instance's themes for a proposal from the words they share.

Each theme is a small document: its label (counted three times) and description, in
French and English (a text the same in both, as a label given in one language is,
once). A proposal is a query: its title (counted twice) and abstract.
Words are folded (lower case, no accents), stop words of both languages dropped and
suffixes lightly stripped, so "données", "Donnee" and "data" style variants meet.
A theme's raw score is BM25 over the six theme documents:

    raw(theme) = sum over query words w of  q(w) * idf(w) * tf(w, theme) * (k1 + 1)
                                            / (tf(w, theme) + k1 * (1 - b + b * len(theme) / avg_len))

with q(w) = 1 + ln(count of w in the query), idf(w) = ln(1 + (N - df + 0.5) / (df + 0.5)),
N themes of which df contain w. Matching is on stems only: also letting a word match
the words it prefixes made the sample instance's figures worse (docs/import.md). The
score shown is the theme's share of the proposal's total raw score, so the scores of
one proposal sum to 1 (or are all 0 when no word matches). A theme's evidence is its raw
score's lead over the average theme's: words every theme shares ("IA", "communs") lift
all six alike and give none, and a theme is only picked with MIN_EVIDENCE at least.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path

import yaml

from scheduler.errors import InputError
from scheduler.files import YAML_LOADER, load_yaml, parse_json, parse_yaml, read_input, write_atomic
from scheduler.instance import Instance, Proposal, Theme, parse_instance, read_document
from scheduler.text import have_no_theme

logger = logging.getLogger(__name__)

LABEL_WEIGHT = 3
TITLE_WEIGHT = 2
K1 = 1.2
B = 0.5
DEFAULT_THRESHOLD = 0.5
# About one word of one or two themes' descriptions ("data" 1.3, "frugalité" 3.1); the
# sample's proposals all have 2.3 or more. Without it a title "IA" got two themes at
# 0.19 and 0.17, and --threshold 0 a second theme scoring 0.00.
MIN_EVIDENCE = 1.0

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
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


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
    """(stem, word as written) pairs of the content words of `text`, in order."""
    pairs: list[tuple[str, str]] = []
    for token in _WORD.findall(_ELISION.sub(" ", text)):
        for part in token.split("-"):
            # "AI" in capitals is the English acronym, read as "IA"; lower case "ai" is
            # French (j'ai), a stop word, and dropped "AI" with it while "IA" counted
            folded = "ia" if part == "AI" else fold(part)
            if len(folded) >= 2 and not folded.isdigit() and folded not in STOP_WORDS:
                pairs.append((stem(folded), part))
    return pairs


@dataclass(frozen=True)
class Suggestion:
    """One theme for one proposal: its share of the raw scores, its evidence, the words behind it."""

    theme: str
    score: float
    words: tuple[tuple[str, float], ...] = ()
    evidence: float = 0.0


@dataclass
class ProposalSuggestions:
    """A proposal's themes, ranked best first, beside the themes it already has."""

    proposal: str
    title: str
    current: list[str]
    ranked: list[Suggestion] = field(default_factory=list)
    unchecked: bool = False  # `current` was written by --apply and is still marked so

    @property
    def top(self) -> str | None:
        return self.ranked[0].theme if self.ranked and self.ranked[0].score > 0 else None

    @property
    def evident(self) -> bool:
        """Whether the top theme has enough evidence to be picked."""
        return bool(self.ranked) and self.ranked[0].evidence >= MIN_EVIDENCE

    def pick(self, threshold: float = DEFAULT_THRESHOLD) -> list[str]:
        """The top theme, and the second when its score is at least `threshold` times the
        top's; each only with MIN_EVIDENCE, so none for a proposal with too little."""
        chosen = [r for r in self.ranked[:2] if r.evidence >= MIN_EVIDENCE]
        if len(chosen) == 2 and chosen[1].score < threshold * chosen[0].score:
            chosen.pop()
        return [r.theme for r in chosen]


class ThemeIndex:
    """The themes as BM25 documents; `rank` scores a proposal's text against them."""

    def __init__(self, themes: Sequence[Theme]):
        self.themes = [t.id for t in themes]
        self.tf: dict[str, Counter[str]] = {}
        for theme in themes:
            counts: Counter[str] = Counter()
            # (a label given in one language is both: counted once, not twice)
            for text in dict.fromkeys((theme.label.fr, theme.label.en)):
                for _ in range(LABEL_WEIGHT):
                    counts.update(s for s, _ in words(text))
            if theme.description is not None:
                for text in dict.fromkeys((theme.description.fr, theme.description.en)):
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
        average = grand / max(1, len(raw))
        ranked = [
            Suggestion(
                theme=theme,
                score=raw[theme] / grand if grand else 0.0,
                words=tuple((w, c / grand) for w, c in evidence[theme].most_common(5) if grand),
                evidence=raw[theme] - average,
            )
            for theme in self.themes
        ]
        # Stable on ties: the instance's theme order decides.
        ranked.sort(key=lambda s: -s.score)
        return ranked


def suggest(
    instance: Instance,
    proposals: Iterable[Proposal] | None = None,
    unchecked: Collection[str] = (),
) -> list[ProposalSuggestions]:
    """Ranked themes for each proposal of `instance` (all of them by default); `unchecked`
    names those whose themes are marked as written by --apply (see `marked_as_suggested`)."""
    index = ThemeIndex(instance.themes)
    return [
        ProposalSuggestions(
            proposal=p.id,
            title=p.title,
            current=list(p.themes),
            ranked=index.rank(p.title, p.abstract),
            unchecked=p.id in unchecked,
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
    unchecked: int = 0  # proposals left out: their themes are this command's own

    def rate(self, hits: int) -> float:
        return hits / self.proposals if self.proposals else 0.0


def accuracy(suggestions: Sequence[ProposalSuggestions]) -> Accuracy:
    """Top-1 and top-2 agreement with the primary theme, against always guessing the commonest;
    themes still marked as written by --apply are left out (a run after --apply found its
    own themes "100%" right)."""
    judged = [s for s in suggestions if s.current and not s.unchecked]
    primaries = Counter(s.current[0] for s in judged)
    commonest, baseline = primaries.most_common(1)[0] if primaries else (None, 0)
    return Accuracy(
        proposals=len(judged),
        top1=sum(1 for s in judged if s.top == s.current[0]),
        top2=sum(1 for s in judged if s.current[0] in [r.theme for r in s.ranked[:2] if r.score]),
        any_theme=sum(1 for s in judged if s.top in s.current),
        baseline=baseline,
        baseline_theme=commonest,
        unchecked=sum(1 for s in suggestions if s.current and s.unchecked),
    )


# ---------------------------------------------------------------------------
# Applying suggestions to an instance file
# ---------------------------------------------------------------------------


SUGGESTED_MARK = "# suggested by scheduler themes"
_MARK_COMMENT = f"{SUGGESTED_MARK}; delete this comment once checked"
YAML_SUFFIXES = (".yaml", ".yml")


def writes_json(target: Path, source: Path) -> bool:
    """Whether `target` gets JSON: named .json, or named for neither format (a device such as
    /dev/stdout) when `source` is JSON (`-o out.json` got YAML text, then read as malformed)."""
    kind = Path(target).suffix.lower()
    return kind == ".json" or (kind not in YAML_SUFFIXES and Path(source).suffix.lower() == ".json")


def marked_as_suggested(path: Path) -> set[str]:
    """Ids of the proposals whose `themes:` still carries SUGGESTED_MARK (none in JSON)."""
    path = Path(path)
    return set() if path.suffix.lower() == ".json" else _marked(read_input(path))


def apply_themes(
    path: Path, picks: dict[str, list[str]], target: Path | None = None
) -> dict[str, list[str]]:
    """Write `picks` into the proposals of `path` that have no theme, keeping the rest of the file.

    YAML is edited in place, so comments, layout and line endings survive, and each line of
    themes written ends with SUGGESTED_MARK until a coordinator checks it. The edit is checked
    by reloading it; if it does not give exactly the expected data, or touches a shape it does
    not know (an anchored `themes:`), the file is re-dumped instead (losing comments, never
    data). `target` gets JSON or YAML as `writes_json` says. A proposal that already has
    themes is never touched, and with nothing to write `path` is left as it was. Returns the
    themes written, by proposal id.
    """
    path = Path(path)
    target = Path(target) if target is not None else path
    applied, expected = _filled(read_document(path), picks, path)
    if not applied and target.resolve() == path.resolve():
        return applied
    raw = path.read_bytes().decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in raw else "\n"  # --apply turned a CRLF file into LF
    if writes_json(target, path):
        text = json.dumps(expected, indent=2, ensure_ascii=False, default=_json_value) + "\n"
    else:
        text = _yaml_text(path, raw.replace("\r\n", "\n"), expected, applied)
        text = _import_note(text, expected)
    _check_reads_back(text, target, expected, path)
    write_atomic(target, text.replace("\n", newline))
    return applied


_IMPORT_NOTE = re.compile(
    r"^# (\d+ proposals? (?:has|have) no theme yet): assign themes by hand or run\n"
    r"# `scheduler themes [^`]*--apply` \(without one, a proposal gets no slot\)\.\n",
    re.MULTILINE,
)
"""The note `scheduler import` heads an instance with, while proposals lack a theme."""


def _import_note(text: str, expected: dict) -> str:
    """`text` with the import's note about proposals without a theme brought up to date:
    gone when every proposal has one (it still said "19 proposals have no theme yet"
    after --apply gave them all one), else counting those left."""
    left = sum(
        1 for p in expected.get("proposals", []) if isinstance(p, dict) and not p.get("themes")
    )
    if not left:
        return _IMPORT_NOTE.sub("", text)
    return _IMPORT_NOTE.sub(lambda m: m.group(0).replace(m.group(1), have_no_theme(left)), text)


def _filled(
    data: object, picks: dict[str, list[str]], path: Path
) -> tuple[dict[str, list[str]], dict]:
    """The themes written, by proposal id, and a copy of `data` with them written."""
    proposals = data.get("proposals") if isinstance(data, dict) else None
    if not isinstance(proposals, list):
        raise InputError(path, None, "proposals", "expected a list of proposals")
    expected = copy.deepcopy(data)
    applied: dict[str, list[str]] = {}
    for proposal in expected["proposals"]:
        if not isinstance(proposal, dict):
            continue
        themes = picks.get(str(proposal.get("id")))
        if themes and not proposal.get("themes"):
            proposal["themes"] = list(themes)
            applied[str(proposal["id"])] = list(themes)
    return applied, expected


def _json_value(value: object) -> str:
    """A YAML date or time as JSON text: ISO 8601."""
    return value.isoformat() if isinstance(value, date) else str(value)


def _yaml_text(path: Path, original: str, expected: dict, applied: dict[str, list[str]]) -> str:
    """`expected` as YAML: `original` edited in place when it is YAML and that works, else
    re-dumped with the themes written now, and those still marked from before, marked."""
    earlier: set[str] = set()
    if path.suffix.lower() != ".json":
        text = _edit_yaml_themes(original, applied)
        if text is not None and _loads_as(text, expected):
            return text
        logger.warning(
            "%s: themes not editable in place; the instance re-dumped, comments lost", path
        )
        earlier = _marked(original)
    kept = {
        str(p["id"]): p["themes"]
        for p in expected["proposals"]
        if isinstance(p, dict) and str(p.get("id")) in earlier
    }
    return dump_marked(expected, {**kept, **applied})


def dump_marked(data: dict, marked: dict[str, list[str]], header: str = "") -> str:
    """`data` re-dumped as instance YAML (under the comment `header`), the themes of
    `marked` marked as an edit marks them."""
    # here: scheduler.importer imports this module (and pandas)
    from scheduler.importer import dump_instance

    if not marked:
        return dump_instance(data, header)
    blank = copy.deepcopy(data)
    for proposal in blank["proposals"]:
        if isinstance(proposal, dict) and str(proposal.get("id")) in marked:
            proposal["themes"] = []
    text = _edit_yaml_themes(dump_instance(blank, header), marked)
    return text if text is not None and _loads_as(text, data) else dump_instance(data, header)


def _loads_as(text: str, expected: object) -> bool:
    try:
        return load_yaml(text) == expected  # (read as the instance will be: 14:00 as text)
    except yaml.YAMLError:
        return False


def _check_reads_back(text: str, target: Path, expected: dict, source: Path) -> None:
    """Refuse to write `text` unless it reads back as a valid instance, the same as `expected`."""
    written = parse_json(text, target) if writes_json(target, source) else parse_yaml(text, target)
    if (
        parse_instance(written, target).model_dump()
        != parse_instance(expected, source).model_dump()
    ):
        raise InputError(target, None, None, "the written instance would not read back identically")


def _yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as the same string."""
    # (YAML 1.1's reading, not the project's: `10:30` is quoted, read as text by any
    # YAML reader, where the project's alone reads it plain as text)
    return value if yaml.safe_load(value) == value else json.dumps(value)


def _proposal_items(text: str) -> list[tuple[yaml.MappingNode, dict]] | None:
    """Each proposal's node with its keys' (key, value) nodes; None for shapes it does not know."""
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    section = next((v for k, v in root.value if k.value == "proposals"), None)
    if not isinstance(section, yaml.SequenceNode):
        return None
    items = []
    for item in section.value:
        if not isinstance(item, yaml.MappingNode):
            return None
        keys = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        items.append((item, keys))
    return items


def _marked(text: str) -> set[str]:
    """Ids of the proposals whose flow `themes: [...]` line carries SUGGESTED_MARK."""
    if SUGGESTED_MARK not in text:
        return set()
    lines = text.split("\n")
    marked: set[str] = set()
    for _, keys in _proposal_items(text) or []:
        themes = keys.get("themes", (None, None))[1]
        if (
            "id" in keys
            and isinstance(themes, yaml.SequenceNode)
            and themes.flow_style
            and SUGGESTED_MARK in lines[themes.end_mark.line]
        ):
            marked.add(keys["id"][1].value)
    return marked


def _edit_yaml_themes(text: str, applied: dict[str, list[str]]) -> str | None:
    """`text` with `themes: [...]` set and marked for each proposal of `applied`; None for
    shapes it does not know."""
    items = _proposal_items(text)
    if items is None:
        return None
    edits: list[tuple[int, int, str]] = []
    for item, keys in items:
        if "id" not in keys or keys["id"][1].value not in applied:
            continue
        flow = "[" + ", ".join(_yaml_scalar(t) for t in applied[keys["id"][1].value]) + "]"
        edit = _themes_edit(text, item, keys, flow)
        if edit is None:
            return None
        edits.append(edit)
    edits.sort()
    if any(before[1] > after[0] for before, after in pairwise(edits)):
        return None  # two proposals on one line (`proposals: [{...}, {...}]`)
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def _themes_edit(
    text: str, item: yaml.MappingNode, keys: dict, flow: str
) -> tuple[int, int, str] | None:
    """The edit writing one proposal's themes, SUGGESTED_MARK ending their line; None for a
    shape it does not know."""
    mark = f"  {_MARK_COMMENT}"
    if "themes" in keys:
        value = keys["themes"][1]
        start, end = value.start_mark.index, value.end_mark.index
        line_end = _line_end(text, end)
        if text[start : start + 1] == "&":
            # anchored, maybe aliased (`themes: &none []`, then `themes: *none`): its text
            # was rewritten once per alias into unreadable YAML, and a traceback followed
            return None
        if isinstance(value, yaml.SequenceNode) and not value.value and value.flow_style:
            return start, line_end, flow + text[end:line_end] + mark
        if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
            space = " " if text[start - 1 : start] == ":" else ""
            return start, line_end, space + flow + text[end:line_end] + mark
        return None
    id_key, id_value = keys["id"]
    at = id_value.end_mark.index
    if item.flow_style:
        line_end = _line_end(text, at)
        return at, line_end, f", themes: {flow}" + text[at:line_end] + mark
    line_end = text.find("\n", at)
    at = len(text) if line_end < 0 else line_end + 1
    prefix = "\n" if line_end < 0 else ""
    indent = " " * id_key.start_mark.column
    return at, at, f"{prefix}{indent}themes: {flow}{mark}\n"


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end
