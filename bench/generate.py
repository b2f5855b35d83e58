"""A seeded generator of realistic benchmark instances in the project's own format.

The generator plants a schedule first and writes the instance around it: each
open slot gets a workshop (theme, language, keynotes and initiatives that fit its
minutes), then the proposals and speakers of those workshops are made, with
availability windows that keep the planted slot. So every proposal of the
planted schedule can be placed together with all the others; a few extra
proposals whose speakers are never available for a whole slot cannot be placed
at all and show up as unscheduled with their reasons.

Variants: `easy` leaves slack (more and longer slots than needed, broad
availability); `tight` plants a workshop in almost every slot, favours shorter
slots and narrows availability, so there is little room left.

    python -m bench.generate                 # the ladder to instances/bench/, and
                                             # the holdout instances to its holdout/
    python -m bench.generate --proposals 300 --variant tight --seed 7 -o my.yaml
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from scheduler.errors import OutputError
from scheduler.files import unwritable, write_atomic

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instances" / "bench"
FEWEST_PROPOSALS = 5
"""The smallest instance the generator writes: below, the planted workshops cannot
always be trimmed to the size (`_trim`, 4 proposals with seed 1)."""
FIRST_DAY = date(2027, 7, 5)
KEYNOTE_MINUTES = 20
INITIATIVE_MINUTES = 10
OPENING = CLOSING = 5
PARTICIPATORY_MIN, PARTICIPATORY_MAX = 20, 45


@dataclass(frozen=True)
class Rung:
    """One instance of the ladder: its size, variant and the shape of its venue."""

    proposals: int
    variant: str
    days: int
    themes: int
    seed: int = 1

    @property
    def name(self) -> str:
        suffix = "" if self.seed == 1 else f"-s{self.seed}"
        return f"bench-{self.proposals}-{self.variant}{suffix}"


LADDER: tuple[Rung, ...] = (
    Rung(40, "easy", days=2, themes=6),
    Rung(40, "tight", days=2, themes=6),
    Rung(150, "easy", days=3, themes=8),
    Rung(150, "tight", days=3, themes=8),
    Rung(600, "easy", days=4, themes=12),
    Rung(600, "tight", days=4, themes=12),
    Rung(2000, "easy", days=5, themes=20),
    Rung(2000, "tight", days=5, themes=20),
)

HOLDOUT_DIR = INSTANCE_DIR / "holdout"
HOLDOUT: tuple[Rung, ...] = (
    Rung(150, "easy", days=3, themes=8, seed=7),
    Rung(150, "tight", days=3, themes=8, seed=7),
    Rung(600, "easy", days=4, themes=12, seed=7),
    Rung(600, "tight", days=4, themes=12, seed=7),
    Rung(600, "easy", days=4, themes=12, seed=11),
)
"""Instances of the sizes where the search has tuned choices (150 and 600 proposals),
from other seeds of the generator, that no tuning looks at: a change to the search is
kept when it wins on the ladder *and* here (`python -m bench --holdout`). The ladder
alone has one instance per size and variant, and a change can fit it by chance (see
bench/README.md, the keynotes round)."""

# Session blocks of a day: (start, longest slot in minutes). Slots of a block may
# start up to 30 minutes late and be shorter, so they overlap partially.
BLOCKS = (("09:00", 120), ("11:30", 90), ("14:00", 120), ("16:30", 90))
LENGTHS = {"easy": ((60, 1), (90, 3), (120, 3)), "tight": ((60, 3), (90, 4), (120, 1))}
OPEN_SHARE = {"easy": 0.72, "tight": 0.97}
LIMITED_SHARE = {"easy": 0.12, "tight": 0.35}
EN_SHARE = 0.3
TWICE_SHARE = 0.07
CO_SPEAKER_SHARE = 0.15
PIN_SHARE = 0.01
UNPLACEABLE_SHARE = 0.01

FIRST_NAMES = [
    "Ana",
    "Bruno",
    "Chloé",
    "Dario",
    "Emma",
    "Farid",
    "Giulia",
    "Hugo",
    "Inès",
    "Jonas",
    "Karin",
    "Léa",
    "Malik",
    "Nora",
    "Oscar",
    "Paula",
    "Quentin",
    "Rosa",
    "Samir",
    "Tara",
    "Ugo",
    "Vera",
    "Wen",
    "Xavier",
    "Yasmine",
    "Zoé",
    "Aïcha",
    "Bjørn",
    "Camille",
    "Dmitri",
    "Elif",
    "Fatou",
    "Gaspard",
    "Hanna",
    "Ivan",
    "Jeanne",
    "Kofi",
    "Lina",
    "Marco",
    "Nadia",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Rossi",
    "Müller",
    "García",
    "Nguyen",
    "Kowalski",
    "Diallo",
    "Silva",
    "Jensen",
    "Moreau",
    "Fontaine",
    "Haddad",
    "Novak",
    "Laurent",
    "Costa",
    "Weber",
    "Ferrari",
    "Petit",
    "Lambert",
    "Sato",
    "Okafor",
    "Lindqvist",
    "Roux",
    "Girard",
    "Mercier",
    "Blanc",
    "Dupont",
    "Faure",
]
AFFILIATIONS = [
    "Université Paris-Saclay",
    "INRIA",
    "CNRS",
    "Sorbonne Université",
    "TU Delft",
    "KU Leuven",
    "EPFL",
    "Politecnico di Milano",
    "Open Data Lab",
    "Commons Network",
    "Framasoft",
    "Wikimédia France",
    "Mairie de Lyon",
    "Agence du numérique",
    "Fondation Libre",
    "Coop Datacoop",
    "Startup Frugal AI",
    "Observatoire des communs",
    "Lab citoyen",
    "Institut Mines-Télécom",
]
TOPIC_WORDS = [
    "open weights",
    "data trusts",
    "public compute",
    "model audits",
    "frugal inference",
    "commons governance",
    "federated learning",
    "licences",
    "benchmarks",
    "sovereign clouds",
    "citizen data",
    "energy use",
    "community moderation",
    "reciprocity",
    "procurement",
    "dataset curation",
    "agents",
    "transparency reports",
    "local AI",
    "interoperability",
]
THEME_WORDS = [
    "Open models",
    "Public policy",
    "Trust",
    "Contributory dynamics",
    "Data commons",
    "Materiality",
    "Education",
    "Health",
    "Culture",
    "Research",
    "Cities",
    "Work",
    "Energy",
    "Agriculture",
    "Law",
    "Security",
    "Media",
    "Languages",
    "Mobility",
    "Finance",
    "Democracy",
    "Science",
    "Industry",
    "Environment",
]


@dataclass
class _Talk:
    keynote: bool
    slot: dict | None
    theme: str
    language: str
    speakers: list[str] = field(default_factory=list)


def _compositions(minutes: int) -> list[tuple[int, int]]:
    """(keynotes, initiatives) pairs whose talks and minimum participatory time fit."""
    result = []
    for keynotes in (1, 2):
        for initiatives in range(5):
            spare = minutes - OPENING - CLOSING - KEYNOTE_MINUTES * keynotes
            spare -= INITIATIVE_MINUTES * initiatives
            if spare >= PARTICIPATORY_MIN * keynotes:
                result.append((keynotes, initiatives))
    return result


def _stamp(day: date, hhmm: str, plus: int = 0) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute) + timedelta(minutes=plus)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _weighted(rng: random.Random, pairs: tuple[tuple[int, int], ...]) -> int:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def generate(rung: Rung) -> dict:
    """The instance document of one rung (plain data, ready for YAML)."""
    rng = random.Random(f"{rung.name}/{rung.seed}")
    themes = [
        {
            "id": f"t{i + 1:02d}",
            "label": {
                "fr": f"{THEME_WORDS[i % len(THEME_WORDS)]} {i + 1}",
                "en": f"{THEME_WORDS[i % len(THEME_WORDS)]} {i + 1}",
            },
        }
        for i in range(rung.themes)
    ]
    # Zipf-like popularity: the first themes draw far more proposals than the last.
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(rung.themes)]
    placeable = rung.proposals - math.ceil(rung.proposals * UNPLACEABLE_SHARE)
    slots, talks = _venue(rung, themes, popularity, placeable)
    rooms = sorted({s["room"] for s in slots})
    speakers = _speakers(rng, rung, talks)
    proposals = _proposals(rng, talks, themes)
    _add_unplaceable(rng, rung, rung.proposals - len(proposals), proposals, speakers, themes)
    constraints = _constraints(rng, slots, len(proposals))

    first, last = FIRST_DAY, FIRST_DAY + timedelta(days=rung.days - 1)
    document = {
        "name": rung.name,
        "event": {
            "title": f"Benchmark {rung.proposals} proposals ({rung.variant})",
            "venue": "Generated venue",
            "timezone": "Europe/Paris",
            "days": [first.isoformat(), last.isoformat()],
        },
        "rules": {
            "keynote_minutes": KEYNOTE_MINUTES,
            "initiative_minutes": INITIATIVE_MINUTES,
            "participatory": {"min": PARTICIPATORY_MIN, "target": 30, "max": PARTICIPATORY_MAX},
            "opening_minutes": OPENING,
            "closing_minutes": CLOSING,
            "changeover_minutes": 0,
            "keynotes_per_workshop": {"min": 1, "max": 2},
            "initiatives_per_workshop": {"min": 0, "max": 4},
            "mixed_language": False,
        },
        "themes": themes,
        "rooms": [
            {"id": r, "name": f"Room {int(r[1:])}", "capacity": rng.choice([40, 60, 90, 150])}
            for r in rooms
        ],
        "slots": [{k: v for k, v in s.items() if not k.startswith("_")} for s in slots],
        "speakers": speakers,
        "proposals": proposals,
    }
    if constraints["together"] or constraints["apart"]:
        document["constraints"] = constraints
    return document


def _venue(
    rung: Rung, themes: list[dict], popularity: list[float], placeable: int
) -> tuple[list[dict], list[_Talk]]:
    """The fewest rooms whose planted workshops hold `placeable` talks, and those talks."""
    rooms = 1
    while True:
        rng = random.Random(f"{rung.name}/{rung.seed}/venue/{rooms}")
        slots = _slots(rng, rung, rooms)
        talks = _plant(rng, rung, slots, themes, popularity)
        if len(talks) >= placeable:
            return slots, _trim(rng, slots, talks, placeable)
        rooms += 1


def _slots(rng: random.Random, rung: Rung, rooms: int) -> list[dict]:
    lengths = LENGTHS[rung.variant]
    slots = []
    for d in range(rung.days):
        day = FIRST_DAY + timedelta(days=d)
        for b, (start, longest) in enumerate(BLOCKS):
            for r in range(rooms):
                minutes = min(longest, _weighted(rng, lengths))
                late = rng.choice([0, 0, 0, 30]) if minutes + 30 <= longest else 0
                slots.append(
                    {
                        "id": f"d{d + 1}-b{b + 1}-r{r + 1:02d}",
                        "room": f"r{r + 1:02d}",
                        "start": _iso(_stamp(day, start, late)),
                        "end": _iso(_stamp(day, start, late + minutes)),
                        "_minutes": minutes,
                        "_day": d,
                    }
                )
    return slots


def _plant(
    rng: random.Random, rung: Rung, slots: list[dict], themes: list[dict], popularity: list[float]
) -> list[_Talk]:
    """Open slots, give each a theme, language and composition, and make its talks."""
    talks: list[_Talk] = []
    open_share = OPEN_SHARE[rung.variant]
    for slot in slots:
        if rng.random() > open_share:
            continue
        theme = rng.choices(themes, weights=popularity)[0]["id"]
        language = "en" if rng.random() < EN_SHARE else "fr"
        options = _compositions(slot["_minutes"])
        if rung.variant == "tight":
            # fill the slot: the compositions with the most talks
            most = max(k + i for k, i in options)
            options = [(k, i) for k, i in options if k + i >= most - 1]
        keynotes, initiatives = rng.choice(options)
        slot["_talks"] = []
        for n in range(keynotes + initiatives):
            talk = _Talk(keynote=n < keynotes, slot=slot, theme=theme, language=language)
            slot["_talks"].append(talk)
            talks.append(talk)
    return talks


def _trim(rng: random.Random, slots: list[dict], talks: list[_Talk], target: int) -> list[_Talk]:
    """Empty whole workshops, then drop initiatives, until `target` talks remain."""
    planted = [s for s in slots if s.get("_talks")]
    rng.shuffle(planted)
    total = len(talks)
    for slot in planted:
        if total - len(slot["_talks"]) < target:
            continue
        total -= len(slot["_talks"])
        slot["_talks"] = []
    for slot in planted:
        while total > target and len(slot["_talks"]) > 1 and not slot["_talks"][-1].keynote:
            slot["_talks"].pop()
            total -= 1
    if total != target:
        raise ValueError(f"cannot trim the planted schedule to {target} talks")
    for slot in slots:
        talks_here = slot.get("_talks") or []
        if not talks_here and rng.random() < 0.08:
            slot["closed"] = True
        elif talks_here and rng.random() < 0.03:
            slot["theme"] = talks_here[0].theme
        elif talks_here and rng.random() < 0.02:
            slot["language"] = talks_here[0].language
    return [t for s in slots for t in s.get("_talks") or []]


def _speakers(rng: random.Random, rung: Rung, talks: list[_Talk]) -> list[dict]:
    """Speakers for the talks: some present twice, some talks have a co-speaker."""
    speakers: list[dict] = []
    busy: dict[str, list[dict]] = {}

    def free(speaker_id: str, slot: dict) -> bool:
        return all(_overlap(slot, other) is False for other in busy[speaker_id])

    def new_speaker() -> str:
        n = len(speakers) + 1
        speaker_id = f"s{n:04d}"
        speakers.append(
            {
                "id": speaker_id,
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "affiliation": rng.choice(AFFILIATIONS),
            }
        )
        busy[speaker_id] = []
        return speaker_id

    order = list(talks)
    rng.shuffle(order)
    for talk in order:
        chosen: list[str] = []
        wanted = 2 if rng.random() < CO_SPEAKER_SHARE else 1
        for _ in range(wanted):
            speaker_id = None
            if speakers and rng.random() < TWICE_SHARE * 2:
                candidate = rng.choice(speakers)["id"]
                if (
                    candidate not in chosen
                    and len(busy[candidate]) < 2
                    and free(candidate, talk.slot)
                ):
                    speaker_id = candidate
            if speaker_id is None:
                speaker_id = new_speaker()
            chosen.append(speaker_id)
            busy[speaker_id].append(talk.slot)
        talk.speakers = chosen

    limited = LIMITED_SHARE[rung.variant]
    for speaker in speakers:
        planted = busy[speaker["id"]]
        roll = rng.random()
        if roll < limited:
            speaker["available"] = _availability(rng, rung, planted)
        elif roll < limited + 0.05 and (away := _unavailability(rng, rung, planted)):
            speaker["unavailable"] = away
        if rng.random() < 0.04:
            day = rng.choice(planted)["_day"] if rng.random() < 0.7 else rng.randrange(rung.days)
            moment = FIRST_DAY + timedelta(days=day)
            speaker["preferred"] = [
                {"start": _iso(_stamp(moment, "08:00")), "end": _iso(_stamp(moment, "13:30"))}
            ]
    return speakers


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _availability(rng: random.Random, rung: Rung, planted: list[dict]) -> list[dict]:
    """Windows covering the planted slots: their half-days or whole days, maybe one more."""
    windows = []
    for slot in planted:
        day = FIRST_DAY + timedelta(days=slot["_day"])
        if rung.variant == "tight" or rng.random() < 0.5:
            half = "08:00" if slot["start"][11:16] < "13:00" else "13:30"
            end = "13:30" if half == "08:00" else "20:00"
            windows.append((_stamp(day, half), _stamp(day, end)))
        else:
            windows.append((_stamp(day, "08:00"), _stamp(day, "20:00")))
    if rng.random() < 0.5:
        day = FIRST_DAY + timedelta(days=rng.randrange(rung.days))
        windows.append((_stamp(day, "08:00"), _stamp(day, "20:00")))
    merged: list[list[datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [{"start": _iso(s), "end": _iso(e)} for s, e in merged]


def _unavailability(rng: random.Random, rung: Rung, planted: list[dict]) -> list[dict]:
    """One half-day away, not clashing with a planted slot; none when every half-day has
    one (`--days 1`: a speaker of a morning and an afternoon talk)."""
    planted_days = {(s["_day"], s["start"][11:16] < "13:00") for s in planted}
    options = [
        (d, morning)
        for d in range(rung.days)
        for morning in (True, False)
        if (d, morning) not in planted_days
    ]
    if not options:
        return []
    day, morning = rng.choice(options)
    moment = FIRST_DAY + timedelta(days=day)
    start, end = ("08:00", "13:30") if morning else ("13:30", "20:00")
    return [{"start": _iso(_stamp(moment, start)), "end": _iso(_stamp(moment, end))}]


def _proposals(rng: random.Random, talks: list[_Talk], themes: list[dict]) -> list[dict]:
    """One proposal per planted talk, numbered in random order so ids reveal nothing."""
    order = list(range(len(talks)))
    rng.shuffle(order)
    proposals = []
    where: dict[str, str] = {}
    for number, index in enumerate(order, start=1):
        talk = talks[index]
        own = [talk.theme]
        others = [t["id"] for t in themes if t["id"] != talk.theme]
        for theme_id in rng.sample(others, k=min(len(others), rng.choice([0, 1, 1, 2]))):
            own.append(theme_id)
        if len(own) > 1 and rng.random() < 0.15 and talk.slot.get("theme") is None:
            own[0], own[1] = own[1], own[0]  # planted under a secondary theme
        proposal = {
            "id": f"p{number:04d}",
            "title": f"{'Keynote' if talk.keynote else 'Initiative'}: "
            f"{rng.choice(TOPIC_WORDS)} ({number})",
            "format": "keynote" if talk.keynote else "initiative",
            "language": talk.language,
            "speakers": talk.speakers,
            "themes": own,
        }
        if talk.keynote:
            proposal["participatory_format"] = rng.choice(["World café", "Fishbowl", "Q&A"])
        talk.slot.setdefault("_proposals", []).append(proposal["id"])
        where[proposal["id"]] = talk.slot["id"]
        proposals.append(proposal)
    proposals.sort(key=lambda p: p["id"])
    keynotes = [p for p in proposals if p["format"] == "keynote"]
    for proposal in rng.sample(keynotes, max(1, round(len(proposals) * PIN_SHARE))):
        proposal["pin"] = where[proposal["id"]]
    return proposals


def _add_unplaceable(
    rng: random.Random,
    rung: Rung,
    count: int,
    proposals: list[dict],
    speakers: list[dict],
    themes: list[dict],
) -> None:
    """Proposals whose speaker is only free over lunch: no slot fits, a reason is given."""
    for _ in range(count):
        number = len(proposals) + 1
        speaker_id = f"s{len(speakers) + 1:04d}"
        day = FIRST_DAY + timedelta(days=rng.randrange(rung.days))
        speakers.append(
            {
                "id": speaker_id,
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "affiliation": rng.choice(AFFILIATIONS),
                "available": [
                    {"start": _iso(_stamp(day, "13:00")), "end": _iso(_stamp(day, "14:00"))}
                ],
            }
        )
        proposals.append(
            {
                "id": f"p{number:04d}",
                "title": f"Initiative: {rng.choice(TOPIC_WORDS)} ({number})",
                "format": "initiative",
                "language": "fr",
                "speakers": [speaker_id],
                "themes": [rng.choice(themes)["id"]],
            }
        )


def _constraints(rng: random.Random, slots: list[dict], proposals: int) -> dict:
    """A few `together` pairs (planted in one workshop) and `apart` pairs (in different ones)."""
    groups = [sorted(s["_proposals"]) for s in slots if len(s.get("_proposals", [])) >= 2]
    count = min(max(1, proposals // 200), len(groups) // 2)
    together = [{"proposals": g[:2]} for g in rng.sample(groups, count)]
    apart = []
    for _ in range(count):
        a, b = rng.sample(groups, 2)
        apart.append({"proposals": [a[-1], b[-1]]})
    return {"together": together, "apart": apart}


def to_yaml(document: dict) -> str:
    header = (
        "# Generated by bench/generate.py: do not edit by hand; regenerate with\n"
        "#   python -m bench.generate\n"
        "# Fictional, seeded benchmark instance (planted schedule, see bench/README.md).\n"
    )
    return header + yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )


def write_ladder(directory: Path = INSTANCE_DIR, rungs: tuple[Rung, ...] = LADDER) -> list[Path]:
    return [
        write_atomic(directory / f"{rung.name}.yaml", to_yaml(generate(rung))) for rung in rungs
    ]


def main(argv: list[str] | None = None) -> None:
    # (imported here, not above: bench.runner imports this module for its folders)
    from bench.runner import _at_least_one

    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--proposals", type=int, help=f"one instance of this size ({FEWEST_PROPOSALS} or more)"
    )
    parser.add_argument(
        "--variant", choices=["easy", "tight"], help="with --proposals (default easy)"
    )
    parser.add_argument("--seed", type=int, help="with --proposals (default 1)")
    parser.add_argument(
        "--days", type=_at_least_one, help="with --proposals (default the nearest rung's)"
    )
    parser.add_argument(
        "--themes", type=_at_least_one, help="with --proposals (default the nearest rung's)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="with --proposals (default in --directory)"
    )
    parser.add_argument(
        "--directory", type=Path, help="where the instances go (default instances/bench/)"
    )
    args = parser.parse_args(argv)
    if args.output is not None and args.directory is not None:  # (--directory was ignored)
        parser.error("--directory: not with -o/--output, which names the file")
    directory = args.directory or INSTANCE_DIR
    if args.proposals is None:
        # without --proposals the whole ladder is written, and these said nothing of it
        for option, value in (
            ("--variant", args.variant),
            ("--seed", args.seed),
            ("--days", args.days),
            ("--themes", args.themes),
            ("-o/--output", args.output),
        ):
            if value is not None:
                parser.error(f"{option}: only with --proposals (one instance)")
        holdout = directory / HOLDOUT_DIR.relative_to(INSTANCE_DIR)
        outputs = [directory / f"{LADDER[0].name}.yaml", holdout / f"{HOLDOUT[0].name}.yaml"]
    else:
        if args.proposals < FEWEST_PROPOSALS:
            parser.error(f"--proposals: must be {FEWEST_PROPOSALS} or more, not {args.proposals}")
        base = min(LADDER, key=lambda r: abs(r.proposals - args.proposals))
        rung = Rung(
            args.proposals,
            args.variant or "easy",
            days=args.days or base.days,
            themes=args.themes or base.themes,
            seed=1 if args.seed is None else args.seed,
        )
        outputs = [args.output or directory / f"{rung.name}.yaml"]
    option = "-o/--output" if args.output is not None else "--directory"
    for output in outputs:
        reason = unwritable(output)
        if reason is not None:
            parser.error(f"{option}: {OutputError(output, reason)}")
    try:
        if args.proposals is None:
            written = write_ladder(directory) + write_ladder(holdout, HOLDOUT)
        else:
            written = [write_atomic(outputs[0], to_yaml(generate(rung)))]
    except OutputError as exc:  # found only when writing (a full disk)
        sys.exit(f"error: {exc}")
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
