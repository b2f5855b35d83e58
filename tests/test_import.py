"""Import of the call's form answers, FOST's slots and speakers' availability."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import scheduler.importer as importer
from scheduler.candidates import candidate_table
from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.greedy import greedy_solution
from scheduler.importer import (
    BadRowsError,
    CellError,
    ImportOptions,
    RowProblem,
    _comments_lost,
    _mark_calamine_errors,
    _read_abstract,
    _source_of,
    _theme_lookup,
    form_field,
    import_form,
    proposal_id,
    read_date,
    read_flag,
    read_format,
    read_hours,
    read_kind,
    read_language,
    read_presenters,
    read_status,
    read_table,
    read_theme_list,
    read_themes,
    read_time,
    speaker_id,
    write_instance,
)
from scheduler.instance import load_instance
from scheduler.text import Bilingual
from scheduler.validate import validate

DATA = Path(__file__).parent / "data" / "import"
FORM, SLOTS, AVAIL = DATA / "form.csv", DATA / "slots.csv", DATA / "availability.csv"
BAD_FORM = DATA / "form-bad-rows.csv"
PRETALX, SESSIONIZE = DATA / "pretalx-sessions.csv", DATA / "sessionize-sessions.xlsx"


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in argv])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def fixture_import(**options) -> object:
    return import_form(FORM, SLOTS, AVAIL, options=ImportOptions(name="fixture", **options))


# -- every note and row problem in both languages ---------------------------------------

_QUOTED_FR = re.compile("«\u00a0.*?\u00a0»", re.S)
_ENGLISH_WORDS = re.compile(
    r"(?<![\w'-])(?:the|is|are|and|with|row|rows|column|kept|speaker|proposal|slot|file)(?![\w-])"
)


def assert_french(text: str) -> None:
    """`text` carries a French wording (`Bilingual`), other than its English, with French
    typography: a no-break space before « : ; ! ? » and inside « » (the text between « »,
    a title or a cell as typed, aside), and none of the English's commonest words."""
    assert isinstance(text, Bilingual), f"no French: {text!r}"
    french = text.fr
    assert french and french != str(text), f"no French: {text!r}"
    ours = _QUOTED_FR.sub("«»", french)
    assert not re.search(r" [:;!?»]|« ", ours), french
    assert not _ENGLISH_WORDS.search(ours), french


def _checked_import(*args, **kwargs):
    try:
        result = _import_form(*args, **kwargs)
    except BadRowsError as error:
        for problem in error.problems:
            assert_french(problem.message)
        raise
    for text in [*result.notes, *(problem.message for problem in result.skipped)]:
        assert_french(text)
    return result


_import_form = import_form


@pytest.fixture(autouse=True, scope="module")
def _every_note_in_french():
    # Every import this module runs, through the CLI or not, checks that each note and
    # each row problem it gives has its French (`import --lang fr`): notes are built in
    # some 70 places, each with its English and French side by side, and one left
    # English-only would print in English under --lang fr.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("scheduler.importer.import_form", _checked_import)
        patch.setitem(globals(), "import_form", _checked_import)
        yield


# -- cells -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Keynote (20')", "keynote"),
        ("keynote", "keynote"),
        (
            "Une keynote (20') de contextualisation et problématisation associée à un temps "
            "participatif",
            "keynote",
        ),
        ("Présentation d'initiatives inspirantes (10')", "initiative"),
        ("Initiative inspirante", "initiative"),
        ("Inspiring initiative (10 min)", "initiative"),
        ("10 min", "initiative"),
    ],
)
def test_format_spellings(value, expected):
    assert read_format(value) == expected


@pytest.mark.parametrize("value", ["Talk (45 min)", "Keynote (10')", "Présentation", "", "Atelier"])
def test_unreadable_formats(value):
    with pytest.raises(CellError):
        read_format(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("FR", "fr"),
        ("Français", "fr"),
        (" fr ", "fr"),
        ("English", "en"),
        ("anglais", "en"),
        # 'en' read as EN: "'En français' names two languages"
        ("En français", "fr"),
        ("en anglais", "en"),
        ("En français / in French", "fr"),
        ("in English", "en"),
        # the language spoken is the one outside brackets ("names two languages")
        ("French (with English slides)", "fr"),
        ("Anglais (questions en français bienvenues)", "en"),
    ],
)
def test_language_spellings(value, expected):
    assert read_language(value) == expected


@pytest.mark.parametrize(
    "value", ["FR/EN", "Français ou anglais", "Espagnol", "", "EN FR", "en français ou en anglais"]
)
def test_one_language_is_needed(value):
    with pytest.raises(CellError):
        read_language(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Jeanne Dupont (Université X), John Smith – ACME",
            [("Jeanne Dupont", "Université X"), ("John Smith", "ACME")],
        ),
        ("Jeanne Dupont, Université X", [("Jeanne Dupont", "Université X")]),
        ("Jeanne Dupont, CNRS, laboratoire LIFE", [("Jeanne Dupont", "CNRS, laboratoire LIFE")]),
        ("John Smith, Jane Doe", [("John Smith", ""), ("Jane Doe", "")]),
        ("A. Martin & B. Roux", [("A. Martin", ""), ("B. Roux", "")]),
        (
            "Jeanne Dupont (CNRS) et John Smith (ACME)",
            [("Jeanne Dupont", "CNRS"), ("John Smith", "ACME")],
        ),
        (
            "Jeanne Dupont – Laboratoire Droit et Société",
            [("Jeanne Dupont", "Laboratoire Droit et Société")],
        ),
        (
            "Marie Curie (Institut du Radium, Paris) and Pierre Curie",
            [("Marie Curie", "Institut du Radium, Paris"), ("Pierre Curie", "")],
        ),
        ("Dr. Jeanne DUPONT, IMT Atlantique", [("Jeanne DUPONT", "IMT Atlantique")]),
        (
            "Jeanne Dupont <jeanne@x.example>\nJohn Smith (ACME)",
            [("Jeanne Dupont", ""), ("John Smith", "ACME")],
        ),
        ("Jeanne Dupont: Open Future", [("Jeanne Dupont", "Open Future")]),
        # the second presenter was read into the first one's affiliation ('Université de
        # Lille) avec John Smith (ACME'): joiners were case-sensitive, the match greedy
        *(
            (
                f"Jeanne Dupont (Université de Lille){joiner}John Smith (ACME)",
                [("Jeanne Dupont", "Université de Lille"), ("John Smith", "ACME")],
            )
            for joiner in (" avec ", " with ", " ET ", " And ", " - ", " – ")
        ),
        ("A. Martin AND B. Roux", [("A. Martin", ""), ("B. Roux", "")]),
        ("Jeanne Dupont (Univ. (Paris 8))", [("Jeanne Dupont", "Univ. (Paris 8)")]),
        ("Jeanne Dupont (CNRS) – Laboratoire LIFE", [("Jeanne Dupont", "CNRS, Laboratoire LIFE")]),
        # a last name, a comma, a first name: not 'Dupont' of the organisation 'Jeanne'
        # a surname first in capitals, as French forms ask; not in capitals, it is not told
        # from a one-word name and its organisation
        ("DUPONT, Jeanne", [("Jeanne DUPONT", "")]),
        ("Pouhiou, Framasoft", [("Pouhiou", "Framasoft")]),
        # 'Et' inside a name is no joiner; capitalised after a bracket it is
        (
            "Ana Lima – Recherche Et Développement Durable",
            [("Ana Lima", "Recherche Et Développement Durable")],
        ),
        (
            "Lea Roy, Association Vivre Avec Les Autres",
            [("Lea Roy", "Association Vivre Avec Les Autres")],
        ),
        ("Jean (Johnny) Martin", [("Jean (Johnny) Martin", "")]),
        ("DUPONT, Jeanne, CNRS", [("Jeanne DUPONT", "CNRS")]),
        ("Ana, CNRS", [("Ana", "CNRS")]),
        # last name first, the affiliation after the given name: two people before
        ("Dupont, Jeanne (CNRS)", [("Jeanne Dupont", "CNRS")]),
        ("LE GOFF, Anne", [("Anne LE GOFF", "")]),
        # a dash after a bracket starts a person only with her own bracket: the role was
        # a presenter named 'Directrice de recherche'
        (
            "Jeanne Dupont (Inria) – Directrice de recherche",
            [("Jeanne Dupont", "Inria, Directrice de recherche")],
        ),
        ("Ana Lima (CNRS) - Sorbonne Nouvelle", [("Ana Lima", "CNRS, Sorbonne Nouvelle")]),
        ("Jeanne Dupont, Directrice de recherche", [("Jeanne Dupont", "Directrice de recherche")]),
        # lower-case particles are words of names, not prose
        (
            "Charles de Gaulle et Ludwig van Beethoven",
            [("Charles de Gaulle", ""), ("Ludwig van Beethoven", "")],
        ),
        ("jeanne dupont et john smith", [("jeanne dupont", ""), ("john smith", "")]),
        # read as DUPONT of 'Jeanne et MARTIN, Paul'
        ("DUPONT, Jeanne et MARTIN, Paul", [("Jeanne DUPONT", ""), ("Paul MARTIN", "")]),
        # 'ould' is a particle: he was her affiliation
        ("Jeanne Dupont, Sidi ould Cheikh", [("Jeanne Dupont", ""), ("Sidi ould Cheikh", "")]),
        # an organisation word in the plural: 'Bell Labs' was a second presenter
        ("Jeanne Dupont, Bell Labs", [("Jeanne Dupont", "Bell Labs")]),
    ],
)
def test_presenters_as_people_write_them(value, expected):
    assert [(p.name, p.affiliation) for p in read_presenters(value)] == expected


@pytest.mark.parametrize(
    "value",
    [
        # read as one person named 'Jeanne Dupont (A) plus John Smith'
        "Jeanne Dupont (A) plus John Smith (B)",
        # read as 'Jeanne Dupont' and a presenter named 'the help of John Smith'
        "Jeanne Dupont with the help of John Smith",
        "Jeanne Dupont (A) with the help of John Smith (B)",
    ],
)
def test_presenters_joined_by_an_unknown_word_are_a_bad_cell(value):
    with pytest.raises(CellError, match="cannot tell the presenters apart"):
        read_presenters(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # pretalx's 'Speaker names' joined by commas: one presenter and her affiliation
        ("Élodie Fabre, Pixelle", [("Élodie Fabre", ""), ("Pixelle", "")]),
        ("Ana Lima, DIALLO Aminata", [("Ana Lima", ""), ("DIALLO Aminata", "")]),
        ("Ana Lima et Pixelle", [("Ana Lima", ""), ("Pixelle", "")]),
        ("Ana Lima\nBen Roy", [("Ana Lima", ""), ("Ben Roy", "")]),
        # an organisation in a name is still an affiliation, and a name last name first
        ("Ana Lima, CNRS", [("Ana Lima", "CNRS")]),
        ("DUPONT, Jeanne", [("Jeanne DUPONT", "")]),
    ],
)
def test_presenters_in_a_column_of_names_only(value, expected):
    people = read_presenters(value, names_only=True)
    assert [(p.name, p.affiliation) for p in people] == expected


@pytest.mark.parametrize("value", ["Dupont, Jeanne", "Pixelle, Gee"])
def test_one_word_names_in_a_column_of_names_only_are_a_bad_cell(value):
    # a surname and a given name, or two people known by one name: never a guess
    with pytest.raises(CellError, match="one name written last name first or several people"):
        read_presenters(value, names_only=True)


@pytest.mark.parametrize(
    "spelling",
    ["Jeanne Dupont", "jeanne dupont", "JEANNE DUPONT", "Jéanne  Dupont", " Jeanne\tDupont "],
)
def test_speaker_ids_ignore_case_accents_and_spaces(spelling):
    assert speaker_id(spelling) == "jeanne-dupont"


@pytest.mark.parametrize(
    ("spelling", "shown"),
    [
        # a surname in capitals after the given name, printed beside 'Ana Lima' on the grid
        ("Jeanne DUPONT", "Jeanne Dupont"),
        ("Anne-Laure LE GOFF-MARTIN", "Anne-Laure Le Goff-Martin"),
        ("JEANNE DUPONT", "Jeanne Dupont"),
        ("jeanne dupont", "Jeanne Dupont"),
        # capitals leading say which word is the surname; initials and particles stay
        ("DIALLO Aminata", "DIALLO Aminata"),
        ("J. R. R. TOLKIEN", "J. R. R. Tolkien"),
        ("Charles de GAULLE", "Charles de Gaulle"),
    ],
)
def test_names_in_capitals_are_shown_as_names(spelling, shown):
    from collections import Counter

    from scheduler.importer import _display_name

    assert _display_name(Counter([spelling])) == shown


def test_speaker_ids_keep_hyphens_and_particles():
    assert (
        speaker_id("Anne-Laure Le Goff") == speaker_id("anne laure le goff") == "anne-laure-le-goff"
    )


def test_proposal_ids_come_from_content_or_the_form():
    a = proposal_id("Communs numériques et IA", ["jeanne-dupont"])
    assert a == proposal_id("  communs NUMÉRIQUES et ia ", ["jeanne-dupont"])
    assert a != proposal_id("Communs numériques et IA", ["john-smith"])
    assert a.startswith("p-communs-numeriques")
    assert proposal_id("whatever", [], "17") == "p-17"
    assert proposal_id("whatever", [], "CFP-042") == "CFP-042"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Horodateur", "timestamp"),
        ("Titre de l'intervention", "title"),
        ("Talk title", "title"),
        ("Format proposé", "format"),
        ("Nom(s) et affiliation(s) des personnes présentant (au maximum 2 personnes)", "speakers"),
        ("Speakers (names and affiliations, max 2)", "speakers"),
        ("Résumé (1500 signes) incluant des précisions sur le format participatif", "abstract"),
        ("Abstract (max 1500 characters)", "abstract"),
        ("Langue d'intervention (EN/FR)", "language"),
        ("Pour les keynotes : format participatif envisagé", "participatory"),
        ("Participatory format (keynotes only)", "participatory"),
        ("Statut", "status"),
        ("Intervenant 1", "speaker1"),
        ("Affiliation 1", "speaker1_affiliation"),
        ("Speaker 2 name", "speaker2"),
        ("Speaker 2 affiliation", "speaker2_affiliation"),
        ("Adresse e-mail", "email"),
        ("Commentaires internes", None),
        # a presenters header naming something else too is still the presenters
        ("Intervenant·e – nom et bio courte", "speakers"),
        ("Nom tel qu'il apparaîtra au programme public", "speakers"),
        ("Presenter name / contact", "speakers"),
        ("Nom de la personne contact", None),
        # a given name completes presenter 1's or 2's name ('First name' was presenter 1,
        # 'Prénom' ignored)
        ("Prénom", "speaker1_given"),
        ("First name", "speaker1_given"),
        ("Prénom intervenant 2", "speaker2_given"),
        ("Nom, prénom", "speakers"),
        ("Last name", "speakers"),
        ("Surname", "speakers"),
        # the presenters after the first ('Autres intervenant·es' beside a bare 'Nom')
        ("Autres intervenant·es", "speaker2"),
        ("Other speakers", "speaker2"),
        ("Autres commentaires", None),
        # an affiliation without a number is presenter 1's; not a kind of organisation
        ("Affiliation", "speaker1_affiliation"),
        ("Structure de l'intervenant·e", "speaker1_affiliation"),
        ("Type de structure", None),
        # the name of an organisation is an affiliation (it was a second presenters column)
        ("Nom de la structure", "speaker1_affiliation"),
        ("Organisation name", "speaker1_affiliation"),
        ("Nom de la structure de l'intervenant 2", "speaker2_affiliation"),
        # pretalx's sessions export
        ("ID", "id"),
        ("Proposal title", "title"),
        ("Proposal state", "status"),
        ("Pending proposal state", None),
        ("Session type", "format"),
        ("Created", "timestamp"),
        ("Speaker names", "speakers"),
        ("Speaker IDs", None),
        ("Submission state", "status"),  # older pretalx
        ("Submission type", "format"),
        # Sessionize's
        ("Session Id", "id"),
        ("Session format", "format"),
        ("Owner", None),
        ("Date Submitted", "timestamp"),
    ],
)
def test_french_and_english_headers(header, field):
    assert form_field(header) == field


def test_status_values():
    assert read_status("Accepté") and read_status("ACCEPTED") and read_status("retenue")
    assert not read_status("Refusé") and not read_status("liste d'attente") and not read_status("")
    with pytest.raises(CellError):
        read_status("acceptd")


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        *((v, True) for v in ("✅", "✓", "✔", "✔️", "☑", "1", "oui", "YES", "true", "x")),
        *((v, True) for v in ("Accepté(e)", "Retenu·e", "1.0")),
        # a mark beside a word saying the same (read before marks were)
        *((v, True) for v in ("accepted ✅", "✅ Accepté", "✓ oui")),
        ("Refusé ❌", False),
        # a comment in brackets beside the decision was a bad row
        *((v, True) for v in ("Oui (sous réserve)", "Accepté [salle à confirmer]")),
        ("Refusé (doublon)", False),
        *((v, False) for v in ("❌", "✗", "✘", "0", "non", "no", "false", "", "-")),
        # pretalx's states and Sessionize's statuses ('submitted' was a bad row)
        *((v, True) for v in ("confirmed", "accepted", "Accepted")),
        *((v, False) for v in ("submitted", "rejected", "withdrawn", "canceled")),
        *((v, False) for v in ("Declined", "Nominated", "Waitlisted", "Decline Queue")),
    ],
)
def test_status_marks_and_numbers(value, accepted):
    # '✅', '✓' and '1' folded to no text and were left out as empty cells
    assert read_status(value) is accepted


@pytest.mark.parametrize("value", ["★", "?", "🎉", "2", "Accept Queue"])
def test_an_unknown_status_mark_is_a_bad_cell_not_a_drop(value):
    with pytest.raises(CellError, match="as a decision"):
        read_status(value)


def test_a_status_column_left_empty_says_why_nothing_was_imported(tmp_path, capsys):
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    form = write_csv(tmp_path / "form.csv", [rows[0], *([*r[:-1], ""] for r in rows[1:] if r)])
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    assert f"{form}: no proposal could be imported: column 'Statut' is empty in every row" in flat
    assert "remove the column to import every row" in flat


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14 h 30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("12 am", time(0, 0)),
        ("12 pm", time(12, 0)),
        ("24h", time(23, 59)),  # the end of the day as people write it
        (time(9, 30, 15), time(9, 30)),
        (datetime(2026, 12, 1, 16, 45, 30), time(16, 45)),
        ("14h75", "is not a time of day"),
        ("25:00", "is not a time of day"),
        ("midi", "cannot read 'midi' as a time of day"),
    ],
)
def test_times_as_people_and_spreadsheets_write_them(value, expected):
    if isinstance(expected, str):
        with pytest.raises(CellError, match=expected):
            read_time(value)
    else:
        assert read_time(value) == expected


def test_hours_and_yes_or_no_cells():
    assert read_hours("14h-16h") == (time(14, 0), time(16, 0))
    assert read_hours("9h30 à 11h") == read_hours("9:30 – 11:00") == (time(9, 30), time(11, 0))
    # the 'a' of 'am' was read as 'à': "cannot read 'm-12pm' as a time of day"
    assert read_hours("10am-12pm") == (time(10, 0), time(12, 0))
    assert read_hours("14hà16h") == (time(14, 0), time(16, 0))
    assert read_hours("9:30 AM – 11:00 AM") == read_hours("9h30à11h") == (time(9, 30), time(11))
    assert read_hours("2-4pm") == read_hours("2 pm to 4 pm") == (time(14, 0), time(16, 0))
    assert read_hours("10-12pm") == (time(10, 0), time(12, 0))
    with pytest.raises(CellError, match="as hours such as 14h-16h"):
        read_hours("14h")
    assert [read_flag(v) for v in ("oui", "X", "✓", "Fermée", "non", "", "ouvert")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(CellError, match="as yes or no"):
        read_flag("peut-être")


def test_dates_times_and_availability_kinds():
    assert read_date("01/12/2026") == read_date("2026-12-01") == date(2026, 12, 1)
    assert read_date("mardi 1er décembre", 2026) == date(2026, 12, 1)
    assert read_date(datetime(2026, 12, 1, 0, 0)) == date(2026, 12, 1)
    assert read_time("14h") == read_time("14:00") == read_time("2 pm") == time(14, 0)
    assert read_time("9h30") == read_time(0.395833333) == time(9, 30)
    assert [read_kind(v) for v in ("indisponible", "Disponible", "préféré", "no")] == [
        "unavailable",
        "available",
        "preferred",
        "unavailable",
    ]
    with pytest.raises(CellError):
        read_date("mardi 1er décembre")  # no year anywhere


@pytest.mark.parametrize(
    "value",
    [
        "mardi 1 déc.",
        "mar. 1 déc.",
        "Tue, Dec 1, 2026",
        "Tuesday 01/12/2026",
        "mardi 1er décembre",
        "mar. 01/12/2026",
        "mar 1/12",
        "mar. 2026-12-01",
    ],
)
def test_a_weekday_that_agrees_with_the_date_is_read(value):
    # ('mar. 1 déc.' and 'mar. 01/12/2026', the French short date with its weekday, were
    # read as 1 March: 'mar' is March's too)
    assert read_date(value, 2026) == date(2026, 12, 1)


def test_names_in_another_script_are_not_all_alike():
    # their letters kept to a-z, every two Cyrillic names of one affiliation were
    # "names spelt nearly alike"; a pasted text as a name is not compared letter by
    # letter (its spellings with two letters dropped grew as its length cubed)
    from scheduler.importer import _likely_same_people

    def speaker(sid, name):
        return {"id": sid, "name": name, "affiliation": "МГУ"}

    assert _likely_same_people([speaker("a", "Иван Петров"), speaker("b", "Анна Смирнова")]) == []
    (note,) = _likely_same_people([speaker("a", "Иван Петров"), speaker("b", "Иван Петрова")])
    assert "names spelt nearly alike" in note
    assert _likely_same_people([speaker("a", "x" * 2000), speaker("b", "x" * 1999 + "y")]) == []


def test_a_tuesday_in_figures_that_is_not_one_gives_both_readings():
    with pytest.raises(CellError, match="2026-12-02 is a Wednesday, not a Tuesday"):
        read_date("mar. 02/12/2026", 2026)


def test_a_weekday_that_contradicts_the_date_gives_both_readings():
    # "mardi 2 décembre 2026" (a Wednesday) was read as Wednesday 2 December, silently
    with pytest.raises(CellError) as info:
        read_date("mardi 2 décembre 2026")
    assert str(info.value) == (
        "'mardi 2 décembre 2026': 2026-12-02 is a Wednesday, not a Tuesday: Tuesday "
        "2026-12-01 or Wednesday 2026-12-02? correct the day or the date"
    )
    with pytest.raises(CellError, match="2027-12-01 is a Wednesday, not a Tuesday"):
        read_date("mardi 1er décembre", 2027)
    with pytest.raises(CellError) as info:
        read_date("Wed 12/2/2026")
    assert "month first, as US sheets write dates, it is Wednesday 2026-12-02" in str(info.value)


def test_a_us_slots_sheet_read_day_first_gets_both_readings(tmp_path):
    # 12/1/2026 read as 12 January, with only "check its date" on the slots far apart
    slots = write_csv(
        tmp_path / "slots-us.csv",
        [
            ["Room", "Date", "Start", "End"],
            ["Salle Arche", "12/1/2026", "2:00 PM", "3:30 PM"],
            ["Salle Arche", "12/2/2026", "9:30 AM", "11:30 AM"],
            ["Salle Parvis", "12/3/2026", "2:00 PM", "3:00 PM"],
        ],
    )
    # read day first over two months, month first within three days: refused (it was
    # written, with this note alone)
    with pytest.raises(InputError) as info:
        import_form(FORM, slots)
    assert "read day first its dates span 2026-01-12..2026-03-12 (60 days)" in str(info.value)
    # --days says the event's days: the note gives both readings
    days = (date(2026, 1, 12), date(2026, 3, 12))
    notes = import_form(FORM, slots, options=ImportOptions(days=days)).notes
    assert (
        "slots-us.csv: column 'Date': 12/1/2026 is read as 2026-01-12 (day first); month "
        "first, as US sheets write dates, it is 2026-12-01; read day first its dates span "
        "2026-01-12..2026-03-12, month first 2026-12-01..2026-12-03: if the sheet writes the "
        "month first, write its dates year first (2026-12-01) and import it again"
    ) in notes
    # a French sheet whose dates read month first too, but far apart so: no such note
    assert not [n for n in fixture_import().notes if "month first" in n]


def test_a_us_availability_sheet_read_day_first_gets_both_readings(tmp_path):
    # 12/2/2026 read as 12 February: each row was "the window lies outside the event's
    # days", with nothing to say why; the slots file had a note, the availability none
    avail = write_csv(
        tmp_path / "avail-us.csv",
        [
            ["Speaker", "Date", "From", "To", "Availability"],
            ["Jeanne Dupont", "12/1/2026", "", "", "unavailable"],
            ["Éloïse Lefèvre", "12/2/2026", "8:00 AM", "1:00 PM", "available"],
        ],
    )
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, SLOTS, avail)
    assert [p.message for p in info.value.problems] == [
        "the window lies outside the event's days 2026-12-01..2026-12-03: 12/1/2026 is read "
        "day first, as 2026-01-12; month first, as US sheets write dates, it is 2026-12-01, "
        "within them: if the sheet writes the month first, write its dates year first "
        "(2026-12-01) and import it again",
        "the window lies outside the event's days 2026-12-01..2026-12-03: 12/2/2026 is read "
        "day first, as 2026-02-12; month first, as US sheets write dates, it is 2026-12-02, "
        "within them: if the sheet writes the month first, write its dates year first "
        "(2026-12-01) and import it again",
    ]
    notes = import_form(FORM, SLOTS, avail, options=ImportOptions(skip_bad_rows=True)).notes
    assert (
        "avail-us.csv: column 'Date': 12/1/2026 is read as 2026-01-12 (day first); month "
        "first, as US sheets write dates, it is 2026-12-01; read day first its dates span "
        "2026-01-12..2026-02-12, month first 2026-12-01..2026-12-02, within the event's days "
        "2026-12-01..2026-12-03: if the sheet writes the month first, write its dates year "
        "first (2026-12-01) and import it again"
    ) in notes
    # a window outside the days either way has no such hint, nor the fixture's file a note
    far = unavailable_all_day(tmp_path / "far.csv", ("Jeanne Dupont", "12/9/2026"))
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, SLOTS, far)
    assert [p.message for p in info.value.problems] == [
        "the window lies outside the event's days 2026-12-01..2026-12-03"
    ]
    assert not [n for n in fixture_import().notes if "month first" in n]
    # a slot outside --days gets the hint as well
    slots = write_csv(
        tmp_path / "slots-us.csv",
        [["Room", "Date", "Start", "End"], ["Salle Arche", "12/2/2026", "2:00 PM", "3:30 PM"]],
    )
    options = ImportOptions(days=(date(2026, 12, 1), date(2026, 12, 3)))
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, slots, options=options)
    assert [p.message for p in info.value.problems] == [
        "the slot lies outside the event's days 2026-12-01..2026-12-03: 12/2/2026 is read "
        "day first, as 2026-02-12; month first, as US sheets write dates, it is 2026-12-02, "
        "within them: if the sheet writes the month first, write its dates year first "
        "(2026-12-01) and import it again"
    ]


def test_a_slot_whose_weekday_contradicts_its_date_is_a_bad_row(tmp_path):
    slots = write_csv(
        tmp_path / "slots.csv",
        [["Salle", "Jour", "Horaire"], ["Salle Arche", "mardi 2 décembre 2026", "14h-15h30"]],
    )
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, slots)
    (problem,) = info.value.problems
    assert (problem.path.name, problem.row, problem.column) == ("slots.csv", 2, "Jour")
    assert "Tuesday 2026-12-01 or Wednesday 2026-12-02?" in problem.message


# -- the fixture form --------------------------------------------------------


def test_fixture_form_imports_accepted_rows_with_deduplicated_speakers():
    result = fixture_import()
    instance = result.instance
    assert len(instance.proposals) == 14 and result.not_accepted == 2
    assert sum(p.is_keynote for p in instance.proposals) == 5
    assert {p.language.value for p in instance.proposals} == {"fr", "en"}
    assert all(p.themes == [] for p in instance.proposals)
    speakers = instance.speaker_by_id
    assert len(speakers) == 11
    # Same people written differently in different rows.
    assert speakers["jeanne-dupont"].name == "Jeanne Dupont"
    assert speakers["jeanne-dupont"].affiliation == "Université de Val-d'Orge"
    assert speakers["eloise-lefevre"].name == "Éloïse Lefèvre"
    assert speakers["tomas-ruiz"].name == "Tomás Ruiz"
    assert speakers["chloe-martin"].name == "Chloé Martin"
    by_speaker = {s: [p.id for p in instance.proposals if s in p.speakers] for s in speakers}
    assert len(by_speaker["jeanne-dupont"]) == 2 and len(by_speaker["eloise-lefevre"]) == 2
    # Refused and waiting-list rows are left out.
    titles = {p.title for p in instance.proposals}
    assert "Mon chatbot de recettes" not in titles
    keynote = next(p for p in instance.proposals if p.title.startswith("Communs numériques"))
    assert keynote.speakers == ["jeanne-dupont", "john-smith"]
    assert keynote.participatory_format == "World café en quatre tables, restitution croisée"
    assert "\n" in keynote.abstract
    initiative = next(p for p in instance.proposals if p.title.startswith("Community-run"))
    assert initiative.participatory_format is None  # 'N/A' in the form


def test_fixture_slots_rooms_days_and_availability():
    instance = fixture_import(title="Commons AI 2026", venue="CNIT").instance
    assert [r.name for r in instance.rooms] == ["Salle Arche", "Salle Parvis"]
    assert instance.room_by_id["salle-arche"].capacity == 120
    assert len(instance.slots) == 6
    assert instance.event.days == (date(2026, 12, 1), date(2026, 12, 3))
    first = instance.slot_by_id["salle-arche-1201-1400"]
    assert (first.start.hour, first.end.hour, first.end.minute) == (14, 15, 30)
    assert str(first.start.tzinfo) == "Europe/Paris"
    jeanne = instance.speaker_by_id["jeanne-dupont"]
    assert [(w.start.day, w.end.day) for w in jeanne.unavailable] == [(1, 2)]
    eloise = instance.speaker_by_id["eloise-lefevre"]
    assert [(w.start.day, w.start.hour, w.end.hour) for w in eloise.available] == [
        (2, 8, 13),
        (3, 8, 18),
    ]
    assert instance.speaker_by_id["karim-haddad"].preferred is not None


def test_notes_name_availability_of_refused_speakers():
    result = fixture_import()
    assert any("Marc Lenoir" in note for note in result.notes)


def _form_with_presenters(tmp_path: Path, *cells: str) -> Path:
    """The fixture's form with the presenters of its first rows replaced by `cells`."""
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    for row, cell in zip(body, cells, strict=False):
        row[4] = cell
    return write_csv(tmp_path / "form.csv", [header, *body])


def test_a_presenter_written_with_an_initial_is_noted_as_maybe_the_same(tmp_path):
    # "Claire Martin (Inria)" and "C. Martin (Inria)" were two speakers without a word,
    # then scheduled in two rooms at once
    form = _form_with_presenters(
        tmp_path,
        "Claire Martin (Inria)",
        "C. Martin (Inria)",
        "Jon Smith (ACME)",
        "John Smith (ACME)",
    )
    result = import_form(form, SLOTS)
    ids = {s.id for s in result.instance.speakers}
    assert {"claire-martin", "c-martin", "jon-smith", "john-smith"} <= ids  # kept apart
    assert (
        "speakers claire-martin (Claire Martin, Inria) and c-martin (C. Martin, Inria) may be "
        "one person (a given name and its initial, the same affiliation): as written they are "
        "two, who may be scheduled at the same time in two rooms; if they are one, write the "
        "name the same way in the form"
    ) in result.notes
    assert any(
        n.startswith("speakers jon-smith (Jon Smith, ACME) and john-smith (John Smith, ACME) may "
                     "be one person (names spelt nearly alike, the same affiliation)")
        for n in result.notes
    )  # fmt: skip
    # the fixture's own speakers give no such note (Chloé Martin is no Claire Martin)
    assert not [n for n in fixture_import().notes if "may be one person" in n]


def test_one_name_of_two_affiliations_is_offered_both_readings(tmp_path):
    # two Claire Martins of two organisations were merged, the note not saying they may
    # be two people, and the second printed with the first's affiliation
    form = _form_with_presenters(
        tmp_path,
        "Claire Martin (Inria)",
        "Claire Martin (Université de Lille)",
        "Claire Martin (Inria)",
    )
    result = import_form(form, SLOTS)
    lille = [p.title for p in result.instance.proposals][1]
    assert (
        "Claire Martin: kept affiliation 'Inria', also written 'Université de Lille' "
        f"('Université de Lille' on “{lille}”): one person who gave two affiliations, or two "
        "people of one name? As written they are one speaker, never scheduled at two places "
        "at once and shown as of 'Inria' on every proposal; if they are two, tell their names "
        "apart in the form (a middle initial, say)"
    ) in result.notes


def test_an_event_title_and_venue_by_default_are_noted(tmp_path, capsys):
    # without --title and --venue the event was titled after the file and 'TBA', which
    # then headed every grid page and calendar, without a word
    output = tmp_path / "commons.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", output], capsys)
    assert code == 0, err
    assert (
        "event: titled 'commons' (the instance's name; no --title) and the venue 'TBA' (no "
        "--venue): they head every page of the grid and every calendar; give --title and "
        "--venue, or edit event: in the file written"
    ) in " ".join(err.split())
    argv = ["import", FORM, "--slots", SLOTS, "-o", output, "--force", "--title", "Commons AI"]
    code, _, err = run([*argv, "--venue", "CNIT", "--timezone", "Europe/Paris"], capsys)
    assert code == 0 and "event:" not in err
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", output, "--keep", output], capsys)
    assert code == 0 and "event:" not in err  # (the kept instance's)


def test_a_column_without_a_header_is_named_by_its_position(tmp_path):
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    rows[0].append("")  # a column of comments someone added without a header
    for row in rows[1:]:
        if row:
            row.append("vu")
    form = write_csv(tmp_path / "form.csv", rows)
    result = import_form(form, SLOTS, AVAIL, options=ImportOptions(name="fixture"))
    assert f"form.csv: ignored columns 'column {len(rows[0])} (no header)'" in result.notes
    assert not any("Unnamed" in note for note in result.notes)


def test_slots_that_look_misread_get_a_note(tmp_path):
    # a start cell holding 0 reads as midnight, `3.5` as 3 May: both imported, both noted
    text = SLOTS.read_text(encoding="utf-8-sig").splitlines()
    rows = [line.split(";") for line in text]
    rows[1][2] = "0"  # Salle Arche, 01/12/2026, from midnight to 15h30
    rows[3][1] = "3.5"  # a date read as 3 May 2026
    slots = tmp_path / "slots.csv"
    slots.write_text("\n".join(";".join(row) for row in rows), encoding="utf-8")
    result = import_form(FORM, slots, AVAIL, options=ImportOptions(name="fixture"))
    notes = " ".join(result.notes)
    assert "slot salle-arche-1201-0000 lasts 15 h 30: check its start and end" in notes
    assert "slot salle-arche-0503-0930 is on 2026-05-03, 213 days from the others" in notes
    assert not any("check its" in note for note in fixture_import().notes)


def test_written_instance_round_trips_and_is_deterministic(tmp_path):
    result = fixture_import()
    first = write_instance(result, tmp_path / "a.yaml", {"form": FORM})
    loaded = load_instance(first)
    assert loaded.model_dump() == result.instance.model_dump()
    text = first.read_text()
    # (written again to the same path: the header's command names the path written)
    second = write_instance(fixture_import(), first, {"form": FORM})
    assert text == second.read_text()
    assert first.read_text().startswith("# Imported by `scheduler import` from form form.csv")


def test_ids_survive_added_and_reordered_rows(tmp_path):
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    extra = list(body[0])
    extra[2] = "Une proposition arrivée en retard"
    extra[4] = "Nouvelle Personne (Labo Z)"
    shuffled = write_csv(tmp_path / "later.csv", [header, extra, *reversed(body)])
    before = fixture_import().instance
    after = import_form(shuffled, SLOTS, AVAIL, options=ImportOptions(name="fixture")).instance
    assert {p.id for p in before.proposals} < {p.id for p in after.proposals}
    assert {s.id for s in before.speakers} < {s.id for s in after.speakers}


# -- bad rows ----------------------------------------------------------------


def test_bad_rows_are_reported_with_row_and_column():
    with pytest.raises(BadRowsError) as info:
        import_form(BAD_FORM, SLOTS)
    problems = {p.row: p for p in info.value.problems}
    assert sorted(problems) == [3, 4, 5, 6, 8]
    assert str(problems[3]).endswith(
        "form-bad-rows.csv, row 3, column 'Format': "
        "cannot read 'Talk (45 min)' as keynote (20') or initiative (10')"
    )
    assert "3 presenters" in problems[4].message
    assert problems[5].column == "Abstract (max 1500 characters)"
    assert "1599 characters" in problems[5].message and "shorten it by 99" in problems[5].message
    assert problems[6].column == "Language"
    assert problems[8].message == "the title is empty"
    assert "--skip-bad-rows" in str(info.value)


def test_skip_bad_rows_imports_the_rest():
    result = import_form(BAD_FORM, SLOTS, options=ImportOptions(skip_bad_rows=True))
    assert [p.title for p in result.instance.proposals] == [
        "Open data for open models",
        "Frugal inference at the edge",
    ]
    assert [p.row for p in result.skipped] == [3, 4, 5, 6, 8]


def test_cli_reports_bad_rows_exits_2_and_keeps_the_output(tmp_path, capsys):
    out = tmp_path / "instance.yaml"
    out.write_text("previous: content\n")
    code, _, err = run(["import", BAD_FORM, "--slots", SLOTS, "-o", out, "--force"], capsys)
    assert code == 2
    assert "row 3, column 'Format': cannot read 'Talk (45 min)'" in err
    assert "5 rows cannot be read" in err
    assert out.read_text() == "previous: content\n"

    code, out_text, err = run(
        ["import", BAD_FORM, "--slots", SLOTS, "-o", out, "--force", "--skip-bad-rows"], capsys
    )
    assert code == 0
    assert "skipped" in err and "row 6, column 'Language'" in err
    assert len(load_instance(out).proposals) == 2


def test_bad_rows_are_counted_as_rows_in_their_files(tmp_path):
    # "3 rows cannot be read" counted problems, and put a slots row among the form's
    form = write_csv(
        tmp_path / "form.csv",
        [
            ["Titre", "Format", "Intervenant·es", "Langue"],
            ["A", "Talk (45 min)", "Ana Lima", "FR/EN"],  # two problems, one row
            ["B", "keynote", "Ben Roy", "FR"],
        ],
    )
    slots = write_csv(
        tmp_path / "slots.csv",
        [["Room", "Date", "Start", "End"], ["A", "2026-12-01", "noon", "13h"]],
    )
    with pytest.raises(BadRowsError) as info:
        import_form(form, slots)
    assert len(info.value.problems) == 3
    assert info.value.path == form
    assert info.value.message.startswith(
        f"1 row and 1 row of {slots} cannot be read (3 problems); nothing written"
    )


def test_cli_refuses_to_replace_an_instance_without_force(tmp_path, capsys):
    out = tmp_path / "instance.yaml"
    out.write_text("previous: content\n")
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and "--force" in err
    assert out.read_text() == "previous: content\n"


@pytest.mark.parametrize("which", ["form", "slots", "availability"])
def test_an_output_that_is_an_input_is_refused(which, tmp_path, capsys):
    # `-o answers.csv --force` replaced the answers by the instance (exit 0), and without
    # --force the message suggested `--keep answers.csv`
    files = {name: tmp_path / path.name for name, path in (("form", FORM), ("slots", SLOTS),
                                                           ("availability", AVAIL))}  # fmt: skip
    for name, path in (("form", FORM), ("slots", SLOTS), ("availability", AVAIL)):
        files[name].write_bytes(path.read_bytes())
    before = files[which].read_bytes()
    argv = ["import", files["form"], "--slots", files["slots"]]
    argv += ["--availability", files["availability"], "-o", files[which]]
    for force in ([], ["--force"]):
        code, _, err = run([*argv, *force], capsys)
        assert code == 2, err
        assert (
            f"it is the {which if which == 'form' else which + ' file'} this command reads" in err
        )
        assert "--keep" not in err
        assert files[which].read_bytes() == before


def test_keep_naming_an_input_is_refused(tmp_path, capsys):
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--keep", SLOTS], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    assert f"{SLOTS}, option --keep: it is the slots file this command reads" in flat


def test_keep_naming_a_solution_says_it_wants_the_instance(tmp_path, capsys):
    # "a solution ..., not an instance (the instance comes first: is this the
    # solution?)": validate's words about its arguments' order, which --keep has not
    solution = Path(__file__).parents[1] / "solutions" / "commons-ai-2026.json"
    kept = tmp_path / "solution.json"
    kept.write_bytes(solution.read_bytes())
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--keep", kept], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    assert (
        f"error: {kept}, option --keep: a solution written by `scheduler solve` (of the "
        "instance 'commons-ai-2026'), not an instance: --keep names the instance YAML an "
        "earlier import wrote (the one the solution was solved from)" in flat
    )
    assert "comes first" not in flat
    # a --keep that is no instance for another reason says so as before
    kept.write_text('{"version": 1, "workshops": [')
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--keep", kept], capsys)
    assert code == 2 and "malformed JSON" in err and not out.exists()
    # a table (the previous form export, programme.csv): it read "malformed YAML"
    table = tmp_path / "programme.csv"
    table.write_text("Jour;Début;Titre\nmar.;10:00;Les communs : une idée\n", encoding="utf-8")
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--keep", table], capsys)
    assert code == 2 and not out.exists()
    assert (
        f"{table}, option --keep: a table (CSV), not an instance: --keep names the instance "
        "YAML an earlier import wrote"
    ) in " ".join(err.split())


@pytest.mark.parametrize(
    ("option", "said"),
    [
        # blamed the form: "form.csv, event, field 'timezone': unknown timezone 'Paris'"
        (["--timezone", "Paris"], "did you mean Europe/Paris?"),
        # blamed every slot row: "outside the event's days 2026-12-03..2026-12-01"
        (["--days", "2026-12-03", "2026-12-01"], "the last day 2026-12-01 is before the first"),
    ],
    ids=["timezone", "days"],
)
def test_a_bad_event_option_names_the_option(option, said, tmp_path, capsys):
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, *option], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.replace("│", " ").split())
    assert f"'{option[0]}'" in flat and said in flat
    assert "form.csv" not in flat and "slots.csv" not in flat


def test_status_typo_is_a_bad_row_and_duplicates_are_caught(tmp_path):
    form = write_csv(
        tmp_path / "form.csv",
        [
            ["Titre", "Format", "Intervenant·es", "Langue", "Statut"],
            ["A", "Keynote (20')", "Ana Lima (Lab)", "FR", "acceptd"],
            ["B", "Keynote (20')", "Ben Roy (Lab)", "FR", "Accepté"],
            ["B", "keynote", "ben roy", "Français", "Accepté"],
        ],
    )
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "Statut"), (4, None)]
    assert "same title and presenters as row 3" in info.value.problems[1].message


def test_missing_columns_name_what_is_expected(tmp_path):
    form = write_csv(tmp_path / "form.csv", [["Title", "Speakers"], ["A", "Ana Lima"]])
    with pytest.raises(InputError) as info:
        import_form(form, SLOTS)
    message = str(info.value)
    assert "no column for format, language" in message and "'Title', 'Speakers'" in message


@pytest.mark.parametrize("which", ["form", "slots", "availability"])
def test_an_instance_or_solution_given_as_a_table_is_named(which, tmp_path, capsys):
    # the bundled instance given as the form read "cannot read the table: Expected 1
    # fields in line 4, saw 2" (pandas parsing YAML as CSV)
    bundled = Path(__file__).parent.parent / "instances" / "commons-ai-2026.yaml"
    files = {"form": FORM, "slots": SLOTS, "availability": AVAIL, which: bundled}
    out = tmp_path / "out.yaml"
    argv = ["import", files["form"], "--slots", files["slots"]]
    code, _, err = run([*argv, "--availability", files["availability"], "-o", out], capsys)
    assert code == 2
    flat = " ".join(err.split())
    assert f"{bundled}: a YAML or JSON file, not a table" in flat
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # read "cannot read the table: No columns to parse from file" (pandas' words)
        ("", ": the file is empty: no header row, no rows"),
        ("\n\n", ": the file is empty: no header row, no rows"),
        ("\ufeff", ": the file is empty: no header row, no rows"),
        # read "row 2: 2 cells where the header has 0 ('Titre' is past the last column)"
        (",\nTitre,Format\nUn titre,keynote\n", ", row 1: is empty: the first row must hold"),
    ],
    ids=["empty", "blank-lines", "bom", "blank-first-row"],
)
def test_an_empty_table_or_header_is_named_empty(content, said, tmp_path, capsys):
    table = tmp_path / "answers.csv"
    table.write_text(content, encoding="utf-8")
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", table, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    assert f"{table}{said}" in " ".join(err.split())


def _zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_part(workbook: Path, part: str, data: bytes) -> bytes:
    """The workbook's zip with one part replaced."""
    with zipfile.ZipFile(workbook) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return _zipped({**entries, part: data})


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("random.xlsx", lambda: bytes(range(256)) * 8, "File is not a zip file"),  # BadZipFile
        ("zip.xlsx", lambda: _zipped({"a.txt": b"x"}), "There is no item named"),  # KeyError
        (
            "broken.xlsx",  # ElementTree's ParseError, a SyntaxError
            lambda: _with_part(SESSIONIZE, "xl/workbook.xml", b"<workbook><oops"),
            "unclosed token",
        ),
        (
            "dimension.xlsx",  # ValueError
            lambda: _with_part(
                SESSIONIZE,
                "xl/worksheets/sheet1.xml",
                zipfile.ZipFile(SESSIONIZE)
                .read("xl/worksheets/sheet1.xml")
                .replace(b'<c r="A1"', b'<c r="!!"', 1),
            ),
            "invalid literal for int()",
        ),
        ("random.ods", lambda: bytes(range(256)) * 8, "Cannot detect file format"),  # calamine
        ("random.xls", lambda: b"\xd0\xcf\x11\xe0" * 200, "Cannot detect file format"),
        ("quote.csv", lambda: b'Titre,Format\n"Un titre,keynote\n', "unexpected end of data"),
    ],
    ids=["not-a-zip", "zip-without-workbook", "broken-xml", "bad-cell", "ods", "xls", "csv"],
)
def test_a_file_no_library_reads_is_bad_input(name, content, said, tmp_path, capsys):
    # what pandas, openpyxl and calamine raise on each is in importer.READ_ERRORS: exit 2,
    # the file named, no traceback, nothing written
    table = tmp_path / name
    table.write_bytes(content())
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", table, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    assert f"{table}: cannot read the table: " in flat and said in flat
    assert "Traceback" not in err


@pytest.mark.parametrize("table", [SESSIONIZE, DATA / "form.ods", DATA / "slots.xls", FORM])
def test_a_defect_in_the_import_s_own_code_is_not_bad_input(table, monkeypatch):
    # a defect in a helper the import runs on what pandas read was reported as "cannot
    # read the table: 'DataFrame' object has no attribute ..." (exit 2) for a workbook:
    # the coordinator told the file was unreadable, the maintainer told nothing
    def defect(path, frame, *rest):
        return frame.no_such_attribute

    monkeypatch.setattr(importer, "_table", defect)
    with pytest.raises(AttributeError, match="no_such_attribute"):
        read_table(table)


def test_a_workbook_whose_first_row_is_blank_says_so(tmp_path, capsys):
    # listed its columns as "'column 1 (no header)', 'column 2 (no header)', ..."
    workbook = tmp_path / "answers.xlsx"
    rows = [["Titre", "Format", "Intervenant·es", "Langue"], ["Un titre", "Keynote", "A", "FR"]]
    pd.DataFrame([[None] * 4, *rows]).to_excel(workbook, index=False, header=False)
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", workbook, "--slots", SLOTS, "-o", out], capsys)
    flat = " ".join(err.split())
    assert code == 2 and not out.exists()
    assert "its first row, where the headers go, is empty" in flat and "no header" not in flat


def test_an_output_ending_in_a_slash_is_a_folder(tmp_path, capsys):
    # `-o out/` wrote a file named out; an existing folder was said to "already exist"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", f"{tmp_path / 'out'}/"], capsys)
    assert code == 0, err
    assert load_instance(tmp_path / "out" / "imported.yaml").name == "imported"
    argv = ["import", FORM, "--slots", SLOTS, "-o", f"{tmp_path / 'out'}/", "--name", "commons"]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert load_instance(tmp_path / "out" / "commons.yaml").name == "commons"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", tmp_path / "out"], capsys)
    assert code == 2
    assert "it is a folder" in err and "already exists" not in err


def test_slot_problems_are_bad_rows(tmp_path):
    slots = write_csv(
        tmp_path / "slots.csv",
        [
            ["Room", "Date", "Start", "End"],
            ["A", "2026-12-01", "09:00", "10:30"],
            ["A", "2026-12-01", "10:00", "11:00"],
            ["B", "2026-12-01", "11:00", "10:00"],
            ["B", "2026-12-01", "noon", "13:00"],
        ],
    )
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, slots)
    problems = {p.row: p.message for p in info.value.problems}
    assert problems[3] == "overlaps row 2 in the same room 'A'"
    assert problems[4].startswith("ends (10:00) before it starts (11:00)")
    assert problems[5].startswith("cannot read 'noon' as a time of day")


def unavailable_all_day(path, *people_and_days):
    """An availability table: each (person, day) unavailable the whole day."""
    rows = [[person, day, "", "", "unavailable"] for person, day in people_and_days]
    return write_csv(path, [["Speaker", "Date", "From", "To", "Availability"], *rows])


def test_availability_of_an_unknown_speaker_is_a_bad_row(tmp_path):
    avail = unavailable_all_day(
        tmp_path / "avail.csv", ("Jeanne Dupond", "2026-12-01"), ("Jeanne Dupont", "2026-12-09")
    )
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, SLOTS, avail)
    messages = [p.message for p in info.value.problems]
    assert messages[0] == (
        "no presenter named 'Jeanne Dupond' in the imported proposals; the form has Jeanne "
        "Dupont (jeanne-dupont), spelt nearly alike: if that is the speaker meant, write the "
        "name as the form does"
    )
    assert "outside the event's days 2026-12-01..2026-12-03" in messages[1]


def test_an_availability_name_near_a_speaker_s_names_the_speaker(tmp_path):
    # 'Karim HADDAD' once the form spells him 'Karim Hadad' was "no presenter named" only,
    # with the form's spelling to be found by hand among the speakers
    avail = unavailable_all_day(
        tmp_path / "avail.csv",
        ("Karim HADDAD", "2026-12-01"),
        ("MARTIN Chloé", "2026-12-01"),
        ("P. Henry", "2026-12-01"),
        ("Marie Curie", "2026-12-01"),
    )
    form = _form_edited(tmp_path, "form.csv", ("Frugalité", 4, "Karim Hadad (IEN)"))
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS, avail)
    messages = [p.message for p in info.value.problems]
    unknown = "no presenter named {!r} in the imported proposals"
    meant = ": if that is the speaker meant, write the name as the form does"
    assert messages == [
        unknown.format("Karim HADDAD") + "; the form has Karim Hadad (karim-hadad), spelt "
        "nearly alike" + meant,
        unknown.format("MARTIN Chloé") + "; the form has Chloé Martin (chloe-martin), the "
        "same words in another order" + meant,
        unknown.format("P. Henry") + "; the form has Paul Henry (paul-henry), a given name "
        "and its initial" + meant,
        unknown.format("Marie Curie"),
    ]


def test_a_form_of_its_header_alone_says_so_before_the_availability(tmp_path, capsys):
    # with --availability, each availability row was "no presenter named 'Jeanne Dupont'
    # in the imported proposals", 5 bad rows, and --skip-bad-rows only then named the form
    form = tmp_path / "form.csv"
    form.write_text(FORM.read_text("utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    code, _, err = run(
        ["import", form, "--slots", SLOTS, "--availability", AVAIL, "-o", out], capsys
    )
    assert code == 2 and not out.exists()
    assert err.strip().splitlines()[-1] == f"error: {form}: no proposal could be imported"
    assert "availability.csv" not in err and "no presenter named" not in err


def test_an_availability_row_with_one_time_runs_from_or_to_the_day_s_end(tmp_path):
    # "until noon" (no start) was refused: "the time is empty"
    avail = write_csv(
        tmp_path / "avail.csv",
        [["Speaker", "Date", "From", "To", "Availability"],
         ["Jeanne Dupont", "2026-12-02", "", "12h", "unavailable"],
         ["Jeanne Dupont", "2026-12-03", "14h", "", "unavailable"]],
    )  # fmt: skip
    instance = import_form(FORM, SLOTS, avail, options=ImportOptions(name="x")).instance
    speaker = next(s for s in instance.speakers if s.name == "Jeanne Dupont")
    assert [
        (instance.local(w.start).isoformat(), instance.local(w.end).isoformat())
        for w in speaker.unavailable
    ] == [
        ("2026-12-02T00:00:00+01:00", "2026-12-02T12:00:00+01:00"),
        ("2026-12-03T14:00:00+01:00", "2026-12-04T00:00:00+01:00"),
    ]


def _ana_on_an_unreadable_row(tmp_path, day: str):
    """A form whose row of Ana Lima's proposal cannot be read (no title) beside Ben Roy's,
    and their availability: Ana away on `day`, Ben on 1 December."""
    form = write_csv(
        tmp_path / "form.csv",
        [
            ["Titre", "Format", "Intervenant·es", "Langue"],
            ["Open data", "Keynote (20')", "Ben Roy (Lab)", "FR"],
            ["", "Keynote (20')", "Ana Lima (Lab)", "FR"],
        ],
    )
    avail = unavailable_all_day(
        tmp_path / "avail.csv", ("Ana Lima", day), ("Ben Roy", "2026-12-01")
    )
    return form, avail


def test_availability_of_a_presenter_on_an_unreadable_row_is_not_a_second_problem(tmp_path):
    # a form row that cannot be read made its presenter's availability a bad row too
    # ("no presenter named 'Ana Lima' in the imported proposals"): two problems for one
    form, avail = _ana_on_an_unreadable_row(tmp_path, "2026-12-01")
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS, avail)
    assert [(p.path.name, p.row) for p in info.value.problems] == [("form.csv", 3)]
    result = import_form(form, SLOTS, avail, options=ImportOptions(skip_bad_rows=True))
    assert [p.row for p in result.skipped] == [3]
    (ben,) = result.data["speakers"]
    assert ben["unavailable"] == [{"start": "2026-12-01T00:00:00", "end": "2026-12-02T00:00:00"}]
    assert (
        "ignored the availability of presenters whose proposals are on form rows that "
        "cannot be read: Ana Lima" in result.notes
    )


def test_an_unreadable_date_of_a_presenter_on_an_unreadable_row_is_said_in_the_same_run(
    tmp_path,
):
    # her availability row's own problem (31 November) was said only once her form row
    # was fixed, in a second run; with --skip-bad-rows, never
    form, avail = _ana_on_an_unreadable_row(tmp_path, "31/11/2026")
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS, avail)
    problems = [(p.path.name, p.row) for p in info.value.problems]
    assert problems == [("form.csv", 3), ("avail.csv", 2)], info.value.problems
    assert "is not a calendar date" in str(info.value.problems[1])
    result = import_form(form, SLOTS, avail, options=ImportOptions(skip_bad_rows=True))
    assert sorted((p.path.name, p.row) for p in result.skipped) == [
        ("avail.csv", 2),
        ("form.csv", 3),
    ]


# -- spreadsheets and optional columns ---------------------------------------


def test_xlsx_with_english_headers_numbered_speakers_and_real_cells(tmp_path):
    form = tmp_path / "answers.xlsx"
    pd.DataFrame(
        {
            "Timestamp": [datetime(2026, 9, 1, 10), datetime(2026, 9, 2, 11)],
            "Talk title": ["Open benchmarks for all", "Sharing farm data"],
            "Format": ["Keynote (20')", "Inspiring initiative (10')"],
            "Speaker 1 name": ["Ana Lima", "BEN ROY"],
            "Speaker 1 affiliation": ["Open Eval", "Farm Coop"],
            "Speaker 2 name": ["Chen Wei", ""],
            "Speaker 2 affiliation": ["Lab C", ""],
            "Abstract": ["Independent, open evaluation of models.", "Data sharing among farms."],
            "Language": ["English", "French"],
            "Participatory format": ["Fishbowl", ""],
            "Status": ["Accepted", "accepted"],
            "Theme": ["Trust in AI", "data-commons"],
        }
    ).to_excel(form, index=False)
    slots = tmp_path / "slots.xlsx"
    pd.DataFrame(
        {
            "Room": ["Main hall", "Main hall"],
            "Date": [datetime(2026, 12, 1), datetime(2026, 12, 2)],
            "Start": [time(14, 0), time(9, 30)],
            "End": [time(15, 30), time(11, 0)],
            "Language": ["", "FR"],
        }
    ).to_excel(slots, index=False)
    instance = import_form(form, slots, options=ImportOptions(name="xlsx")).instance
    first, second = instance.proposals
    assert first.speakers == ["ana-lima", "chen-wei"] and first.themes == ["trust"]
    assert instance.speaker_by_id["chen-wei"].affiliation == "Lab C"
    assert instance.speaker_by_id["ben-roy"].name == "Ben Roy"
    assert second.language.value == "fr" and second.themes == ["data-commons"]
    assert [s.id for s in instance.slots] == ["main-hall-1201-1400", "main-hall-1202-0930"]
    assert instance.slots[1].language.value == "fr"


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A workbook of several sheets, each given as its header row then its rows."""
    with pd.ExcelWriter(path) as writer:
        for name, (header, *rows) in sheets.items():
            pd.DataFrame(rows, columns=header).to_excel(writer, sheet_name=name, index=False)
    return path


def test_a_workbook_is_read_from_its_first_sheet_with_the_columns(tmp_path):
    # a workbook opened by a cover page was read from that page alone: "no column for
    # title, format, language; columns found: 'Réponses exportées le 10/09'"
    form = _workbook(
        tmp_path / "answers.xlsx",
        {
            "Lisez-moi": [["Réponses exportées le 10/09"]],
            "Réponses": [
                ["Titre", "Format", "Intervenant·es", "Langue"],
                ["Open data", "Keynote (20')", "Ana Lima (Lab)", "FR"],
                ["", "Keynote (20')", "Ben Roy (Lab)", "FR"],
            ],
        },
    )
    slots = _workbook(
        tmp_path / "slots.xlsx",
        {
            "Notes": [["Salles confirmées par FOST"]],
            "Créneaux": [
                ["Salle", "Date", "Début", "Fin"],
                ["Arche", "01/12/2026", "14h", "15h30"],
            ],
        },
    )
    with pytest.raises(BadRowsError) as info:
        import_form(form, slots)
    # a row number is the row of the sheet read, which the message names
    assert [str(p) for p in info.value.problems] == [
        f"{form}, sheet 'Réponses', row 3, column 'Titre': the title is empty"
    ]
    result = import_form(form, slots, options=ImportOptions(skip_bad_rows=True))
    assert [p.title for p in result.instance.proposals] == ["Open data"]
    assert [s.id for s in result.instance.slots] == ["arche-1201-1400"]
    assert (
        "answers.xlsx: read sheet 'Réponses' (the first sheet, 'Lisez-moi', has no column "
        "for title, format, language)" in result.notes
    )
    assert (
        "slots.xlsx: read sheet 'Créneaux' (the first sheet, 'Notes', has no column for room)"
        in result.notes
    )


def test_libreoffice_and_old_excel_workbooks_import_like_the_csv():
    # .ods (LibreOffice's own format) and .xls were taken as workbooks, but pandas' default
    # readers for them (odfpy, xlrd) were not installed then: "cannot read the table". The
    # fixtures hold form.csv (after a cover sheet, in the .ods) and slots.csv
    result = import_form(
        DATA / "form.ods", DATA / "slots.xls", AVAIL, options=ImportOptions(name="fixture")
    )
    assert result.data == fixture_import().data
    assert any("read sheet 'Réponses'" in note for note in result.notes)


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    """A one-sheet .xlsx; a cell given as '#N/A', '#VALUE!'... is saved as an error cell,
    as Excel saves a formula that failed (openpyxl types it so)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _csv_rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    return [r for r in csv.reader(path.open(encoding="utf-8-sig"), delimiter=delimiter) if r]


def test_a_status_cell_holding_a_formula_error_is_a_bad_row_not_a_drop(tmp_path, capsys):
    # pandas reads an error cell as NaN, which read as an empty status: the proposal whose
    # VLOOKUP into a decisions sheet gave #N/A was left out as not accepted, exit 0
    header, first, *rows = ([*r, ""][:9] for r in _csv_rows(FORM))
    form = _sheet(tmp_path / "answers.xlsx", [header, [*first[:8], "#N/A"], *rows])
    assert openpyxl.load_workbook(form)["Sheet"]["I2"].data_type == "e"
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    assert (
        f"{form}, row 2, column 'Statut': the cell holds the spreadsheet error #N/A (a formula "
        "that found nothing, such as a VLOOKUP): give its value" in err
    )
    assert "1 row cannot be read" in err and "Traceback" not in err
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out, "--skip-bad-rows"], capsys)
    assert code == 0 and "skipped" in err and "row 2, column 'Statut'" in err


def test_a_formula_saved_without_its_value_is_a_bad_row_not_an_empty_cell(tmp_path, capsys):
    # a workbook written by a script (openpyxl, pandas) saves no formula's value, which
    # pandas reads as empty: a title formula was "the title is empty", a status one left
    # its proposal out as not accepted, exit 0
    header, first, *rows = ([*r, ""][:9] for r in _csv_rows(FORM))
    first[2] = '=CONCATENATE("Communs"," et IA")'
    form = _sheet(tmp_path / "answers.xlsx", [header, [*first[:8], '=IF(1=1,"Accepté","")'], *rows])
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    for column, formula in (
        ("Titre de l'intervention", '=CONCATENATE("Communs"," et IA")'),
        ("Statut", '=IF(1=1,"Accepté","")'),
    ):
        assert (
            f"{form}, row 2, column '{column}': the cell holds a formula whose value was never "
            f"computed ({formula}), as a workbook written by a script saves it: open and save "
            "the file in Excel or LibreOffice, or give its value" in flat
        )
    assert "1 row cannot be read" in flat
    # saved with its value, as Excel and LibreOffice save it (an empty text too), it is read
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(saved, "w") as copy:
        for part in source.namelist():
            data = source.read(part)
            if part == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="C2"><f>', b'<c r="C2" t="str"><f>', 1)
                data = data.replace(b"et IA&quot;)</f><v />", b"et IA&quot;)</f><v>x</v>", 1)
                data = data.replace(b'<c r="I2"><f>', b'<c r="I2" t="str"><f>', 1)
                data = data.replace(b"</f><v /></c></row>", b"</f><v></v></c></row>", 1)
            copy.writestr(part, data)
    result = import_form(saved, SLOTS, options=ImportOptions(skip_bad_rows=True))
    assert not result.skipped and result.not_accepted == 3


def _ods(path: Path, rows: list[list[object]]) -> Path:
    """A one-sheet .ods written as a script writes one with odfpy; a cell given as a tuple
    (formula, value) holds that formula, with its value when it is not None."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Réponses")
    for row in rows:
        element = TableRow()
        for value in row:
            formula, text = value if isinstance(value, tuple) else (None, value)
            if formula is None:
                cell = TableCell(valuetype="string")
            elif text is None:  # (no value, no type: what a script's odfpy writes)
                cell = TableCell(formula=formula)
            else:  # (as LibreOffice saves it: the value and its type)
                cell = TableCell(formula=formula, valuetype="string", stringvalue=text)
            if text:
                cell.addElement(P(text=text))
            element.addElement(cell)
        sheet.addElement(element)
    document.spreadsheet.addElement(sheet)
    document.save(str(path))
    return path


def test_a_formula_of_an_ods_saved_without_its_value_is_a_bad_row_not_an_empty_cell(
    tmp_path, capsys
):
    # calamine reads an .ods's formula saved without its value as an empty cell, as pandas
    # did an .xlsx's: a title formula was "the title is empty", a status one left its
    # proposal out as not accepted, exit 0
    header, first, *rows = ([*r, ""][:9] for r in _csv_rows(FORM))
    title = 'of:=CONCATENATE("Communs";" et IA")'
    status = 'of:=IF([.A2]<>"";"Accepté";"")'
    unsaved = [*first[:2], (title, None), *first[3:8], (status, None)]
    form = _ods(tmp_path / "answers.ods", [header, unsaved, *rows])
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    for column, formula in (
        ("Titre de l'intervention", '=CONCATENATE("Communs";" et IA")'),
        ("Statut", '=IF(A2<>"";"Accepté";"")'),
    ):
        assert (
            f"{form}, row 2, column '{column}': the cell holds a formula whose value was never "
            f"computed ({formula}), as a workbook written by a script saves it: open and save "
            "the file in Excel or LibreOffice, or give its value" in flat
        )
    assert "1 row cannot be read" in flat
    # saved with its value, as LibreOffice saves it (an empty text too), it is read
    saved = [*first[:2], (title, "Communs et IA"), *first[3:8], (status, "Accepté")]
    result = import_form(_ods(tmp_path / "saved.ods", [header, saved, *rows]), SLOTS)
    assert not result.skipped and "Communs et IA" in [p.title for p in result.instance.proposals]
    empty = [*first[:2], (title, "Communs et IA"), *first[3:8], (status, "")]
    result = import_form(_ods(tmp_path / "empty.ods", [header, empty, *rows]), SLOTS)
    assert not result.skipped and result.not_accepted == 3  # (an empty text: not accepted)


@pytest.mark.parametrize(
    ("table", "column", "code"),
    [
        ("form", "Titre de l'intervention", "#VALUE!"),
        (
            "form",
            "Résumé (1500 signes) incluant des précisions sur le format participatif",
            "#REF!",
        ),
        ("form", "Langue d'intervention", "#NAME?"),
        ("slots", "Date", "#VALUE!"),
        ("slots", "Jauge", "#DIV/0!"),
        ("availability", "Disponibilité", "#N/A"),
        ("availability", "Jour", "#NUM!"),
    ],
)
def test_any_cell_holding_a_formula_error_names_it(table, column, code, tmp_path):
    # a title or date that was an error cell was "empty"; a language "cannot read ''";
    # an abstract or a room's seats was imported empty without a word
    sources = {"form": FORM, "slots": SLOTS, "availability": AVAIL}
    rows = _csv_rows(sources[table], ";" if table == "slots" else ",")
    index = next(i for i, header in enumerate(rows[0]) if header.startswith(column[:20]))
    rows[1][index] = code
    sources[table] = _sheet(tmp_path / f"{table}.xlsx", rows)
    with pytest.raises(BadRowsError) as info:
        import_form(sources["form"], sources["slots"], sources["availability"])
    problem = info.value.problems[0]
    assert (problem.path, problem.row, problem.column) == (sources[table], 2, rows[0][index])
    assert problem.message.startswith(f"the cell holds the spreadsheet error {code} (")
    assert len([p for p in info.value.problems if p.row == 2 and p.path == problem.path]) == 1


@pytest.mark.parametrize(
    ("suffix", "err_502"), [(".ods", "Err:502"), (".xls", "#VALUE!")], ids=["ods", "xls"]
)
def test_error_cells_of_libreoffice_and_old_excel_workbooks_are_bad_rows(
    suffix, err_502, tmp_path, capsys
):
    # calamine reads an .ods's or an .xls's error cell as empty: the #N/A status left its
    # proposal out as not accepted, exit 0; the failed participatory formats were imported
    # empty. The files are LibreOffice's (tests/data/import/make_error_workbooks.py), which
    # writes LibreOffice's Err:502 as #VALUE! in an .xls
    form = DATA / f"form-errors{suffix}"
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS)
    header = _csv_rows(FORM)[0]
    assert [(p.path, p.sheet, p.row, p.column) for p in info.value.problems] == [
        (form, "Réponses", 2, header[8]),
        (form, "Réponses", 3, header[6]),
        (form, "Réponses", 4, header[7]),
        (form, "Réponses", 5, header[7]),
    ]
    codes = ["#N/A", "#DIV/0!", "#REF!", err_502]
    for problem, code in zip(info.value.problems, codes, strict=True):
        assert problem.message.startswith(f"the cell holds the spreadsheet error {code} (")
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    assert (
        f"{form}, sheet 'Réponses', row 2, column 'Statut': the cell holds the spreadsheet "
        "error #N/A (a formula that found nothing, such as a VLOOKUP): give its value"
    ) in err


def test_an_error_cell_of_a_small_xls_availability_is_a_bad_row():
    # (a small .xls keeps its records in the compound file's mini stream)
    avail = DATA / "availability-errors.xls"
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, SLOTS, avail)
    assert [(p.row, p.column, p.message[:45]) for p in info.value.problems] == [
        (2, "Disponibilité", "the cell holds the spreadsheet error #N/A (a ")
    ]


def test_error_cells_of_an_ods_named_xls_are_bad_rows_too(tmp_path):
    # calamine reads a workbook by its content, whatever its suffix: so are its error cells
    form = tmp_path / "form-errors.xls"
    form.write_bytes((DATA / "form-errors.ods").read_bytes())
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS)
    codes = [p.message.split("spreadsheet error ")[1].split(" (")[0] for p in info.value.problems]
    assert codes == ["#N/A", "#DIV/0!", "#REF!", "Err:502"]  # (the .ods's codes)


def test_an_xls_that_xlrd_cannot_open_is_read_with_a_note(tmp_path):
    # an .xlsx named .xls: calamine reads it, xlrd (which finds the error cells) refuses it;
    # its #N/A status then reads as empty, as before, and a note says so, no traceback
    header, first, *rows = ([*r, ""][:9] for r in _csv_rows(FORM))
    form = _sheet(tmp_path / "answers.xlsx", [header, [*first[:8], "#N/A"], *rows])
    form = form.rename(tmp_path / "answers.xls")
    result = import_form(form, SLOTS)
    assert (
        "answers.xls: its cells holding a spreadsheet error (#N/A...) cannot be told from "
        "empty ones (xlrd cannot open the file: Excel xlsx file; not supported): check that "
        "no cell the import reads shows one, or save the file as .xlsx"
    ) in result.notes


@pytest.mark.parametrize(
    "content",
    [b"", b"PK\x03\x04 not a zip", b"\xd0\xcf\x11\xe0" * 200],
    ids=["empty", "not-a-zip", "broken-ole2"],
)
@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_error_cells_of_a_file_the_library_cannot_open_are_left_empty(content, suffix, tmp_path):
    # (calamine refuses these files first; the libraries' own errors are a note, never a
    # traceback, and leave the cells as calamine read them)
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(content)
    frame = pd.DataFrame([["a", ""]], dtype=object)
    note = _mark_calamine_errors(path, {"Sheet1": frame})
    assert note.startswith(f"broken{suffix}: its cells holding a spreadsheet error (#N/A...) ")
    assert frame.iat[0, 1] == ""


@pytest.mark.parametrize("code", ["#N/A", "#DIV/0!", "Err:502"])
def test_a_csv_saved_from_a_sheet_with_an_error_cell_is_a_bad_row(code, tmp_path):
    # the error's text, as "Save as CSV" writes it, was imported as the value
    rows = _csv_rows(FORM)
    rows[1][7] = code  # the participatory format, optional
    form = write_csv(tmp_path / "form.csv", rows)
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, rows[0][7])]
    assert f"spreadsheet error {code} (" in info.value.problems[0].message


@pytest.mark.parametrize("value", [46357, 46357.0, "46357", 46357.583333])
def test_a_date_cell_that_lost_its_format_is_read_as_its_day_number(value):
    # a date cell formatted 'General' shows (and pandas reads) 46357: "cannot read
    # '46357' as a date"
    assert read_date(value) == date(2026, 12, 1)


@pytest.mark.parametrize("value", [3, 20261201, "4635", 46357.5 * 10])
def test_other_numbers_are_not_day_numbers(value):
    with pytest.raises(CellError, match="as a date"):
        read_date(value)


def test_a_day_number_in_a_time_column_says_it_is_a_date():
    with pytest.raises(CellError, match=r"'46357' is a date .* \(2026-12-01\), with no time"):
        read_time(46357)


def test_slots_whose_date_cells_lost_their_format_are_read_with_a_note(tmp_path, capsys):
    slots = _sheet(
        tmp_path / "slots.xlsx",
        [
            ["Salle", "Date", "Début", "Fin"],
            ["Salle Arche", 46357, "14h00", "15h30"],
            ["Salle Arche", datetime(2026, 12, 2), "14h00", "15h30"],
            # full date-times formatted 'General': the day number and the fraction of a day
            ["Salle Parvis", "", 46359 + 14 / 24, 46359 + 15.5 / 24],
        ],
    )
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", slots, "-o", out], capsys)
    assert code == 0, err
    starts = [(s.id, s.start.isoformat(), s.end.isoformat()) for s in load_instance(out).slots]
    assert starts == [
        ("salle-arche-1201-1400", "2026-12-01T14:00:00+01:00", "2026-12-01T15:30:00+01:00"),
        ("salle-arche-1202-1400", "2026-12-02T14:00:00+01:00", "2026-12-02T15:30:00+01:00"),
        ("salle-parvis-1203-1400", "2026-12-03T14:00:00+01:00", "2026-12-03T15:30:00+01:00"),
    ]
    flat = " ".join(err.split())
    assert (
        "note: slots.xlsx: columns 'Date', 'Début' and 'Fin' hold numbers read as dates, as a "
        "spreadsheet numbers days (46357 is 2026-12-01; rows 2 and 4): the cells lost their "
        "date format; format those columns as dates to check them" in flat
    )
    assert "column 'Date' hold" not in flat  # (one note for the file)


def _form_book(path: Path, sheet: str = "Réponses") -> tuple[Path, openpyxl.Workbook]:
    """form.csv in a workbook's sheet, for a test to hide, add or merge before saving."""
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in _csv_rows(FORM):
        book.active.append(row)
    return path, book


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_read_after_the_visible_ones(state, tmp_path):
    # a hidden first sheet, a stale copy of 2 answers, was read instead of the 16 on the
    # sheet Excel shows, exit 0 and nothing said
    form, book = _form_book(tmp_path / "answers.xlsx")
    old = book.create_sheet("old", 0)
    for row in _csv_rows(FORM)[:3]:
        old.append(row)
    old.sheet_state = state
    book.active = 1
    book.save(form)
    result = import_form(form, SLOTS)
    assert result.data == import_form(FORM, SLOTS).data
    assert not any("read sheet" in note for note in result.notes)
    # read when no visible sheet has the columns, and said to be hidden
    book["Réponses"].delete_rows(1, 20)
    book["Réponses"].append(["Réponses exportées le 10/09"])
    book.save(form)
    result = import_form(form, SLOTS, options=ImportOptions(skip_bad_rows=True))
    assert len(result.instance.proposals) == 2
    assert (
        "answers.xlsx: read sheet 'old' (hidden; the first sheet, 'Réponses', has no column "
        "for title, format, language)" in result.notes
    )


def test_a_cell_merged_over_rows_is_read_on_each_row(tmp_path):
    # a status merged over rows 2-4 ("Accepté" for a block) read as empty on rows 3 and 4:
    # their proposals were left out as not accepted, exit 0; a room merged over its slots'
    # rows was "row 3, column 'Salle': the room is empty"
    form, book = _form_book(tmp_path / "answers.xlsx")
    book.active.merge_cells("I2:I4")
    book.save(form)
    slots = _sheet(
        tmp_path / "slots.xlsx",
        [
            ["Salle", "Date", "Début", "Fin"],
            ["Salle Arche", "01/12/2026", "14h00", "15h30"],
            ["", "02/12/2026", "9h30", "11h30"],
            ["Salle Parvis", "01/12/2026", "14h00", "15h30"],
        ],
    )
    rooms = openpyxl.load_workbook(slots)
    rooms.active.merge_cells("A2:A3")
    rooms.save(slots)
    result = import_form(form, slots)
    assert len(result.instance.proposals) == len(import_form(FORM, SLOTS).instance.proposals)
    assert [s.id for s in result.instance.slots] == [
        "salle-arche-1201-1400",
        "salle-arche-1202-0930",
        "salle-parvis-1201-1400",
    ]
    assert (
        "answers.xlsx: cells merged over several rows are read as their value on each row "
        "(column 'Statut', rows 2-4)" in result.notes
    )
    assert (
        "slots.xlsx: cells merged over several rows are read as their value on each row "
        "(column 'Salle', rows 2-3)" in result.notes
    )


def test_a_cell_merged_over_rows_of_an_ods_is_read_on_each_row(tmp_path):
    # calamine gives no merged cells for an .ods: the room of row 3 was empty
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Créneaux")
    rows = [
        ["Salle", "Date", "Début", "Fin"],
        ["Salle Arche", "01/12/2026", "14h00", "15h30"],
        [None, "02/12/2026", "9h30", "11h30"],
    ]
    for row in rows:
        element = TableRow()
        for text in row:
            if text is None:  # (the cell a merge covers, as LibreOffice saves it)
                element.addElement(CoveredTableCell())
                continue
            spans = {"numberrowsspanned": 2} if text == "Salle Arche" else {}
            cell = TableCell(valuetype="string", **spans)
            cell.addElement(P(text=text))
            element.addElement(cell)
        sheet.addElement(element)
    document.spreadsheet.addElement(sheet)
    slots = tmp_path / "slots.ods"
    document.save(str(slots))
    result = import_form(FORM, slots)
    assert [s.id for s in result.instance.slots] == [
        "salle-arche-1201-1400",
        "salle-arche-1202-0930",
    ]
    assert (
        "slots.ods: cells merged over several rows are read as their value on each row "
        "(column 'Salle', rows 2-3)" in result.notes
    )


def test_a_workbook_without_the_columns_names_its_sheets(tmp_path, capsys):
    form = _workbook(
        tmp_path / "answers.xlsx",
        {"Lisez-moi": [["Réponses exportées le 10/09"]], "Brouillon": [["Idées"], ["IA"]]},
    )
    out = tmp_path / "instance.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    assert f"{form}, sheet 'Lisez-moi': no column for title, format, language" in err
    assert err.rstrip().endswith("no other sheet has them either ('Brouillon')")


@pytest.mark.parametrize("name", ["bad name/..", "", "x" * 81])
def test_a_bad_name_option_is_refused_by_its_option(name, tmp_path, capsys):
    # it was "form.csv, field 'name': an id is ...": a column the form does not have
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--name", name], capsys)
    assert code == 2 and not out.exists()
    assert (
        f"Invalid value for '--name': {name!r} is not an id: letters, digits, '_', '.' and "
        "'-' only (no spaces or slashes), at most 80 characters" in " ".join(err.split())
    )
    assert str(FORM) not in err


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".txt"])
def test_an_output_named_as_no_instance_is_refused_before_reading(suffix, tmp_path, capsys):
    # `-o prog.xlsx` wrote YAML there, exit 0: Excel refuses it, `--keep prog.xlsx` read it
    # as a workbook; `themes --apply -o` refused the same
    out = tmp_path / f"prog{suffix}"
    code, _, err = run(["import", tmp_path / "none.csv", "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    assert (
        f"Invalid value for -o/--output: the instance is written as YAML or JSON, not as a "
        f"{suffix} file: name it .yaml, .yml or .json" in " ".join(err.split())
    )


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("themes.csv", b"id,label\nopen,Open\n", "a table (CSV), not a themes file"),
        ("themes.xlsx", (DATA / "sessionize-sessions.xlsx").read_bytes(), "a workbook (XLSX), "
         "not a themes file"),
        ("themes.txt", "Modèles ouverts\nLicences\n".encode(), "one text, not a list of themes"),
    ],
    ids=["csv", "xlsx", "lines"],
)  # fmt: skip
def test_a_themes_file_that_is_a_table_or_lines_says_what_it_must_be(
    name, content, said, tmp_path, capsys
):
    # a CSV of id and label was "field 'themes': expected a non-empty list of themes" (it
    # has no such field), a workbook "not UTF-8 text (byte 10)"
    themes = tmp_path / name
    themes.write_bytes(content)
    out = tmp_path / "out.yaml"
    argv = ["import", FORM, "--slots", SLOTS, "--themes", themes, "-o", out]
    code, _, err = run(argv, capsys)
    assert code == 2 and not out.exists()
    assert (
        f"error: {themes}, option --themes: {said}: --themes reads YAML or JSON: a `themes:` "
        "list of an id and a label each (`- {id: open-models, label: Open models}`, "
        "docs/import.md)" in " ".join(err.split())
    )


def test_themes_file_and_days_options(tmp_path):
    themes = tmp_path / "themes.yaml"
    themes.write_text(
        yaml.safe_dump({"themes": [{"id": "one", "label": {"fr": "Un", "en": "One"}}]}),
        encoding="utf-8",
    )
    options = ImportOptions(name="x", days=(date(2026, 11, 30), date(2026, 12, 4)))
    instance = import_form(FORM, SLOTS, themes=themes, options=options).instance
    assert [t.id for t in instance.themes] == ["one"]
    assert instance.event.days == (date(2026, 11, 30), date(2026, 12, 4))
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"themes": [{"id": "one", "label": {"fr": "Un", "de": "1"}}]}))
    with pytest.raises(InputError) as info:
        import_form(FORM, SLOTS, themes=broken)
    assert "themes[0] (id 'one')" in str(info.value) and "label.de" in str(info.value)
    # a label in one language is that of both (it was refused: "label.en: field required")
    french = tmp_path / "french.json"
    french.write_text(json.dumps({"themes": [{"id": "one", "label": {"fr": "Un"}}]}))
    instance = import_form(FORM, SLOTS, themes=french).instance
    assert instance.themes[0].label.get("en") == "Un"


def test_a_theme_label_written_as_text_in_a_themes_file_is_that_of_both_languages(tmp_path, capsys):
    # one text is the label of both languages, as in an instance: the file's form's
    # themes are matched by it (import refused it, then crashed reading it from --keep)
    themes = tmp_path / "themes-str.yaml"
    themes.write_text(
        "- id: open\n  label: Modèles ouverts\n- id: data\n  label: {fr: Données, en: Data}\n",
        encoding="utf-8",
    )
    out = tmp_path / "instance.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--themes", themes], capsys)
    assert code == 0 and "Traceback" not in err
    assert load_instance(out).themes[0].label.get("en") == "Modèles ouverts"
    lookup = _theme_lookup(read_themes(themes), given=True)
    assert read_theme_list("Modèles ouverts; Data", lookup) == ["open", "data"]


def test_an_error_in_the_instance_built_names_the_file_it_came_from(tmp_path):
    # a theme given twice in --themes passes each theme's own check, and the instance's
    # check of duplicate ids named the form
    themes = tmp_path / "themes.yaml"
    one = {"id": "one", "label": {"fr": "Un", "en": "One"}}
    themes.write_text(yaml.safe_dump({"themes": [one, one]}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_form(FORM, SLOTS, themes=themes)
    assert str(info.value) == (f"{themes}, themes[1] (id 'one'), field 'id': duplicate id 'one'")


@pytest.mark.parametrize(
    ("record", "field", "source"),
    [
        ("themes[1] (id 'one')", "id", "themes.yaml"),
        ("slots[3] (id 's3')", "end", "slots.csv"),
        ("rooms[0] (id 'a')", "name", "slots.csv"),
        ("speakers[2] (id 'sp2')", "available[0].end", "availability.csv"),
        ("speakers[2] (id 'sp2')", "name", "form.csv"),
        ("proposals[2] (id 'p2')", "title", "form.csv"),
        ("event", "days", "form.csv"),
    ],
)
def test_each_section_of_the_instance_built_has_its_source(record, field, source):
    sources = {
        "themes": "themes.yaml",
        "slots": "slots.csv",
        "rooms": "slots.csv",
        "speakers": "availability.csv",
    }
    error = InputError("form.csv", record, field, "bad")
    assert str(_source_of(error, sources) or "form.csv") == source


def test_an_unknown_theme_says_how_to_declare_the_events_themes(tmp_path):
    # a CFP tool's own tracks made every row bad, and nothing named --themes
    form = write_csv(
        tmp_path / "form.csv",
        [["Titre", "Format", "Langue", "Intervenant·es", "Track"],
         ["Open data", "keynote", "FR", "Ana Lima", "Robotics"]],
    )  # fmt: skip
    with pytest.raises(BadRowsError) as error:
        import_form(form, SLOTS, options=ImportOptions(name="x"))
    (problem,) = error.value.problems
    assert problem.column == "Track" and "give the event's themes with --themes FILE" in (
        problem.message
    )


def test_a_theme_label_with_a_comma_is_one_theme(tmp_path):
    # "Données publiques, transparence" was split at its comma into two unknown themes,
    # and the hint said to give --themes, which had been given
    themes = tmp_path / "themes.yaml"
    themes.write_text(
        "themes:\n"
        "  - {id: gouv, label: {fr: 'Données publiques, transparence', en: Open government}}\n"
        "  - {id: geo, label: {fr: Géodonnées, en: Geodata}}\n",
        encoding="utf-8",
    )
    form = write_csv(
        tmp_path / "form.csv",
        [["Titre", "Format", "Langue", "Intervenant·es", "Thèmes"],
         ["Open data", "keynote", "FR", "Ana Lima", "Données publiques, transparence; geo"],
         ["Cartes", "keynote", "FR", "Ben Roy", "Géodonnées, Données publiques, transparence"],
         ["Robots", "keynote", "FR", "Cléo Dupuis", "Robotique"]],
    )  # fmt: skip
    with pytest.raises(BadRowsError) as error:
        import_form(form, SLOTS, themes=themes, options=ImportOptions(name="x"))
    (problem,) = error.value.problems  # the robots' row only
    assert problem.message == (
        "unknown theme 'Robotique': write a theme id or its label, as in the event's themes"
    )
    result = import_form(
        form, SLOTS, themes=themes, options=ImportOptions(name="x", skip_bad_rows=True)
    )
    themes_of = {p.title: p.themes for p in result.instance.proposals}
    assert themes_of == {"Open data": ["gouv", "geo"], "Cartes": ["geo", "gouv"]}


def test_semicolon_cp1252_csv(tmp_path):
    slots = tmp_path / "slots.csv"
    slots.write_bytes("Salle;Date;Horaire\nAmphi Défense;1/12/2026;14h-16h\n".encode("cp1252"))
    instance = import_form(FORM, slots, options=ImportOptions(name="x")).instance
    assert instance.rooms[0].name == "Amphi Défense"
    assert (instance.slots[0].start.hour, instance.slots[0].end.hour) == (14, 16)


def _written(path: Path, rows: list[list[str]], encoding: str, **dialect) -> Path:
    handle = io.StringIO()
    csv.writer(handle, **dialect).writerows(rows)
    path.write_bytes(handle.getvalue().encode(encoding))
    return path


ENGLISH_HEADERS = ["Timestamp", "Email", "Title", "Format", "Speakers", "Abstract", "Language",
                   "Participatory format", "Status"]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "dialect"),
    [
        # Excel for Mac's "CSV (Macintosh)": rows end with CR alone ("new-line character
        # seen in unquoted field - do you need to open the file in universal-newline mode?")
        ("utf-8", {"lineterminator": "\r"}),
        # ... a cell's line breaks are LF, left unquoted when the cell holds no separator
        ("utf-8", {"lineterminator": "\r", "delimiter": ";"}),
        # UTF-16 saved without its byte order mark (the same csv message)
        ("utf-16-le", {"lineterminator": "\r\n", "delimiter": "\t"}),
        ("utf-16-be", {"lineterminator": "\n", "delimiter": "\t"}),
    ],
)
def test_mac_line_ends_and_utf16_without_bom_read_like_the_csv(encoding, dialect, tmp_path):
    rows = [ENGLISH_HEADERS, *_csv_rows(FORM)[1:]]
    form = _written(tmp_path / "form.csv", rows, encoding, **dialect)
    result = import_form(form, SLOTS, options=ImportOptions(name="x"))
    assert result.data == import_form(FORM, SLOTS, options=ImportOptions(name="x")).data
    assert "\u2028" not in str(result.data)


def test_crs_inside_quoted_cells_do_not_make_a_file_a_mac_one(tmp_path):
    # a cell's text pasted from a classic Mac application, 6 CRs in 4 rows ending in LF:
    # taken for "CSV (Macintosh)", the rows read as one ("',' expected after '\"'")
    rows = _csv_rows(FORM)[:4]
    rows[1][5] = "\r".join(["Premier paragraphe."] * 7)
    form = _written(
        tmp_path / "form.csv", rows, "utf-8", quoting=csv.QUOTE_ALL, lineterminator="\n"
    )
    assert form.read_bytes().count(b"\r") > form.read_bytes().count(b"\n")
    result = import_form(form, SLOTS, options=ImportOptions(name="x"))
    assert len(result.data["proposals"]) == 3


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_a_mac_roman_file_is_read_as_such_with_a_note(line_end, tmp_path, capsys):
    # read as cp1252, every accented word was a bad row ('AcceptŽ', 'Fran�ais': 13 rows),
    # and the encoding was never named
    rows = [ENGLISH_HEADERS, *_csv_rows(FORM)[1:]]
    form = _written(
        tmp_path / "form.csv", rows, "mac_roman", delimiter=";", lineterminator=line_end
    )
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out, "--name", "x"], capsys)
    assert code == 0, err
    assert yaml.safe_load(out.read_text("utf-8"))["proposals"] == yaml.safe_load(
        yaml.safe_dump(import_form(FORM, SLOTS).data["proposals"])
    )
    assert (
        "note: form.csv: read as Mac Roman, the encoding of Excel for Mac's 'CSV (Macintosh)' "
        "(as Windows cp1252 it gave 'numŽriques', 'mod�les' and 'problŽmatisation'): check "
        "its accents, or save it again as 'CSV UTF-8'" in " ".join(err.split())
    )


def test_a_cp1252_file_with_surnames_in_capitals_is_read_as_cp1252(tmp_path, capsys):
    # a surname in capitals, 'LEFÈVRE', was counted as Mac Roman garbled in cp1252, and
    # the file refused: "its encoding cannot be told"
    availability = tmp_path / "availability.csv"
    availability.write_bytes(
        "Intervenant·e,Jour,De,À,Disponibilité\n"
        "Éloïse LEFÈVRE,01/12/2026,14:00,18:00,disponible\n"
        "Éloïse LEFÈVRE,02/12/2026,08:00,13:00,disponible\n"
        "Éloïse LEFÈVRE,03/12/2026,09:00,12:00,disponible\n"
        "Jeanne DUPONT,02/12/2026,09:00,12:00,disponible\n".encode("cp1252")
    )
    out = tmp_path / "out.yaml"
    argv = ["import", FORM, "--slots", SLOTS, "--availability", availability, "-o", out]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert "Mac Roman" not in err
    speakers = {s["id"]: s for s in yaml.safe_load(out.read_text("utf-8"))["speakers"]}
    assert len(speakers["eloise-lefevre"]["available"]) == 3


def test_a_file_in_another_encoding_is_named_once_not_row_by_row(tmp_path, capsys):
    # DOS's cp850 (no '–' in it): read as cp1252 'modŠles', as Mac Roman 'modäles'
    rows = [[cell.replace("–", "-") for cell in row] for row in _csv_rows(FORM)]
    form = _written(tmp_path / "form.csv", rows, "cp850", delimiter=";")
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    assert f"error: {form}: its encoding cannot be told: it is not UTF-8" in err
    assert "save it again as 'CSV UTF-8'" in err and "row " not in err
    form.write_bytes(b"\x00\x00\x00T" + "itre;Format".encode("utf-32-le"))
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and "holds NUL bytes" in err and "Traceback" not in err


def _imported(tmp_path, text: str):
    """`import_form` of a CSV form holding `text`."""
    form = tmp_path / "form.csv"
    form.write_text(text, encoding="utf-8")
    return import_form(form, SLOTS, options=ImportOptions(name="x"))


def test_a_semicolon_file_whose_header_holds_commas(tmp_path):
    # the delimiter was the commonest in the header line: ',' here, 5 against 3
    result = _imported(
        tmp_path,
        "Titre;Format;Intervenant·es (nom, prénom, affiliation, e-mail, site web);Langue\n"
        "Open data;keynote;LIMA, Ana, CNRS;FR\n"
        "Frugal AI;initiative (10');Ben Roy (Lab B);EN\n",
    )
    assert [p.speakers for p in result.instance.proposals] == [["ana-lima"], ["ben-roy"]]
    assert result.instance.speaker_by_id["ana-lima"].affiliation == "CNRS"
    assert not any("separated by" in note for note in result.notes)


def test_columns_about_someone_else_are_not_presenters(tmp_path):
    # a contact person was scheduled as a presenter without a word, and Microsoft Forms'
    # 'Name' (the respondent) beside 'Speakers' stopped the import ("rename one")
    result = _imported(
        tmp_path,
        "Name,Personne à contacter,Titre,Format,Speakers,Biographie de l'intervenant,"
        "Nombre de personnes attendues,Type de structure,Langue\n"
        "Zoé Respondante,Sophie Leroy,Open data,keynote,Ana Lima (CNRS),Chercheuse,40,"
        "Laboratoire,FR\n",
    )
    (proposal,) = result.instance.proposals
    assert proposal.speakers == ["ana-lima"] and proposal.format.value == "keynote"
    ignored = " ".join(result.notes)
    for column in ("Name", "Personne à contacter", "Biographie", "Nombre de", "Type de structure"):
        assert column in ignored


@pytest.mark.parametrize(
    ("headers", "cells", "people"),
    [
        # Framaforms: the respondent is the main presenter, 'Autres' the others; 'Nom'
        # was dropped as the respondent's and the main presenter lost with it
        (
            ["Nom", "Autres intervenant·es"],
            ["Jeanne Dupont (CNRS)", "John Smith (ACME)"],
            [("Jeanne Dupont", "CNRS"), ("John Smith", "ACME")],
        ),
        # a given name, a family name and an affiliation: the given name was dropped
        (
            ["Prénom", "Nom", "Affiliation"],
            ["Jeanne", "Dupont", "CNRS"],
            [("Jeanne Dupont", "CNRS")],
        ),
        (
            ["Prénom intervenant 1", "Nom intervenant 1", "Prénom intervenant 2", "Nom 2"],
            ["Jeanne", "Dupont", "John", "Smith"],
            [("Jeanne Dupont", ""), ("John Smith", "")],
        ),
        (
            ["First name", "Last name", "Organisation", "Other speakers"],
            ["Jeanne", "Dupont", "CNRS", "John Smith (ACME)"],
            [("Jeanne Dupont", "CNRS"), ("John Smith", "ACME")],
        ),
        # Microsoft Forms' respondent beside a presenters column that asks for a bio too
        # ("rename one"), and a bio beside a bare name (the bio was read as names)
        (
            ["Name", "Speaker name and short bio"],
            ["Zoé Resp", "Ana Lima (CNRS)"],
            [("Ana Lima", "CNRS")],
        ),
        (["Name", "Speaker bio"], ["Ana Lima", "Researcher since 2010"], [("Ana Lima", "")]),
        # one affiliation per presenter, in order: each had both ('CNRS; ACME')
        (
            ["Intervenant·es", "Affiliations"],
            ["Ana Lima; Ben Roy", "CNRS; ACME"],
            [("Ana Lima", "CNRS"), ("Ben Roy", "ACME")],
        ),
        (
            ["Intervenant·es", "Affiliation"],
            ["Ana Lima; Ben Roy", "Université de Nantes"],
            [("Ana Lima", "Université de Nantes"), ("Ben Roy", "Université de Nantes")],
        ),
        # 'Nom de la structure' beside the presenters asked to rename one
        (["Intervenant·e", "Nom de la structure"], ["Ana Lima", "CNRS"], [("Ana Lima", "CNRS")]),
    ],
)
def test_presenters_spread_over_columns(headers, cells, people, tmp_path):
    form = write_csv(
        tmp_path / "form.csv",
        [["Titre", "Format", "Langue", *headers], ["Open data", "keynote", "FR", *cells]],
    )
    instance = import_form(form, SLOTS, options=ImportOptions(name="x")).instance
    assert [(s.name, s.affiliation) for s in instance.speakers] == people
    assert instance.proposals[0].speakers == [s.id for s in instance.speakers]


def test_a_given_name_beside_several_presenters_is_a_bad_row(tmp_path):
    form = write_csv(
        tmp_path / "form.csv",
        [
            ["Titre", "Format", "Langue", "Prénom", "Nom"],
            ["Open data", "keynote", "FR", "Ana", "Lima; Roy"],
        ],
    )
    with pytest.raises(BadRowsError) as error:
        import_form(form, SLOTS, options=ImportOptions(name="x"))
    (problem,) = error.value.problems
    assert problem.column == "Nom" and "beside one given name 'Ana'" in problem.message


@pytest.mark.parametrize(
    "header", ["Nom, prénom et affiliation des intervenant·es, 2 max", "Intervenants (max 2)"]
)
def test_a_bound_on_the_presenters_numbers_none_of_them(header):
    # '2 max' was read as presenter 2, and the import said it had no presenters column
    assert form_field(header) == "speakers"


def _the_bad_row(tmp_path, rows: str):
    """The one problem of a form of `rows` under an id, title, format, presenters and
    language header."""
    with pytest.raises(BadRowsError) as error:
        _imported(tmp_path, "id,Titre,Format,Intervenant·es,Langue\n" + rows)
    (problem,) = error.value.problems
    return problem


def test_an_id_given_twice_is_named_as_such(tmp_path):
    # two different proposals with one form id were called "a duplicate submission?"
    problem = _the_bad_row(
        tmp_path,
        "17,Communs et IA,Keynote,Jeanne Dupont,FR\n17,Open data,Initiative,John Smith,EN\n",
    )
    assert (problem.row, problem.column) == (3, "id")
    assert problem.message == "id '17' is row 2's too"


def test_rows_of_one_id_for_each_speaker_are_one_proposal(tmp_path):
    # a CFP tool's export with a row per speaker (Sessionize's "flattened" one) read as
    # an id given twice; the rows are one proposal with the presenters of both, and a
    # row repeated whole is read once
    result = _imported(
        tmp_path,
        "id,Titre,Format,Intervenant·es,Langue\n"
        "17,Communs et IA,Keynote,Jeanne Dupont (CNRS),FR\n"
        "18,Open data,Initiative,John Smith,EN\n"
        "17,Communs et IA,Keynote,Ana Lima (Inria),FR\n"
        "18,Open data,Initiative,John Smith,EN\n",
    )
    proposals = {p["id"]: p for p in result.data["proposals"]}
    assert proposals["p-17"]["speakers"] == ["jeanne-dupont", "ana-lima"]
    assert proposals["p-18"]["speakers"] == ["john-smith"] and len(proposals) == 2
    speakers = {s["id"]: s.get("affiliation", "") for s in result.data["speakers"]}
    assert speakers == {"jeanne-dupont": "CNRS", "ana-lima": "Inria", "john-smith": ""}
    assert (
        "form.csv: row 4 repeats row 2 (id '17', same title) for Ana Lima: read as one "
        "proposal with both rows' presenters" in result.notes
    )
    assert (
        "form.csv: row 5 repeats row 3 (id '18', same title) for the same presenters: read once"
        in result.notes
    )


def test_one_title_and_presenters_under_two_ids_is_noted(tmp_path):
    # without an id column such rows are refused as a duplicate submission; with ids
    # they were both read without a word, and the programme held the talk twice
    result = _imported(
        tmp_path,
        "id,Titre,Format,Intervenant·es,Langue\n"
        "17,Communs et IA,Keynote,Jeanne Dupont (CNRS),FR\n"
        "18,Open data,Initiative,John Smith,EN\n"
        "19,Communs  et IA,Keynote,Jeanne Dupont (CNRS),FR\n",
    )
    assert [p["id"] for p in result.data["proposals"]] == ["p-17", "p-18", "p-19"]
    assert (
        result.notes.count(
            "form.csv: row 4 (id '19') has the same title and presenters as row 2 (id '17'): "
            "a duplicate submission? Both are read; drop one, or mark it not accepted"
        )
        == 1
    )
    assert not any("row 3 (id '18') has the same" in note for note in result.notes)


def test_rows_of_one_id_with_three_speakers_together_are_a_bad_row(tmp_path):
    problem = _the_bad_row(
        tmp_path,
        "17,Communs et IA,Keynote,Jeanne Dupont; Ana Lima,FR\n"
        "17,Communs et IA,Keynote,John Smith,FR\n",
    )
    assert (problem.row, problem.column) == (3, "Intervenant·es")
    assert problem.message == (
        "id '17' repeats row 2 with other presenters, 3 together; rules.max_speakers allows "
        "at most 2: if the event's call allows it, raise rules.max_speakers: import with "
        "--skip-bad-rows, add rules: {max_speakers: 3} to the instance written, then import "
        "again with --keep naming it"
    )


def test_a_delimiter_that_stays_a_guess_is_noted(tmp_path):
    slots = tmp_path / "slots.csv"
    slots.write_text(
        "Salle;Date;Horaire;Note, remarque\nArche;1/12/2026;14h-16h;vu, ok\n", encoding="utf-8"
    )
    result = import_form(FORM, slots, options=ImportOptions(name="x"))
    assert "slots.csv: read as separated by ';' (',' would fit as well" in " ".join(result.notes)


def test_repeated_headers_are_the_first_and_second_presenter(tmp_path):
    # Google Forms' 'Nom, Affiliation, Nom, Affiliation' read as pandas' 'Nom.1' and
    # 'Affiliation.1': 'speaker 1', the first affiliation lost
    form = write_csv(
        tmp_path / "form.csv",
        [
            ["Titre", "Format", "Nom", "Affiliation", "Nom", "Affiliation", "Langue"],
            ["Open data", "keynote", "Ana Lima", "Lab A", "Ben Roy", "Lab B", "FR"],
            ["Frugal AI", "keynote", "Chen Wei", "Lab C", "", "", "EN"],
        ],
    )
    instance = import_form(form, SLOTS, options=ImportOptions(name="x")).instance
    assert [p.speakers for p in instance.proposals] == [["ana-lima", "ben-roy"], ["chen-wei"]]
    assert [(s.name, s.affiliation) for s in instance.speakers] == [
        ("Ana Lima", "Lab A"),
        ("Ben Roy", "Lab B"),
        ("Chen Wei", "Lab C"),
    ]


def test_a_utf8_file_with_a_cp1252_row_names_it(tmp_path, capsys):
    # read wholesale as cp1252: 'Ã‰loÃ¯se' in every other row, without a word
    lines = [
        "Titre,Format,Intervenant·es,Langue",
        "Open data,keynote,Chloé Martin,FR",
        "Frugal AI,keynote,Éloïse Lefèvre,FR",
    ]
    form = tmp_path / "form.csv"
    form.write_bytes(b"\n".join([*(ln.encode() for ln in lines[:2]), lines[2].encode("cp1252")]))
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    assert f"{form}, row 3, column 'Intervenant·es': holds bytes that are not UTF-8" in flat
    assert "'Éloïse Lefèvre' if read as Windows cp1252" in flat
    # a file all in cp1252 reads as before
    form.write_bytes("\n".join(lines).encode("cp1252"))
    speakers = import_form(form, SLOTS, options=ImportOptions(name="x")).instance.speakers
    assert [s.name for s in speakers] == ["Chloé Martin", "Éloïse Lefèvre"]


def test_an_abstract_too_long_says_the_spaces_around_it_are_not_counted():
    # a cell of 1600 characters, its last a space, read "1599 characters": the
    # coordinator's LEN() said 1600
    with pytest.raises(CellError) as info:
        _read_abstract("x" * 1599 + " ")
    assert str(info.value) == (
        "the abstract has 1599 characters (spaces around it not counted), "
        "rules.abstract_max_characters allows 1500: shorten it by 99, or if the event's call "
        "allows it, raise rules.abstract_max_characters: import with --skip-bad-rows, add "
        "rules: {abstract_max_characters: 1599} to the instance written, then import again "
        "with --keep naming it"
    )


def test_abstracts_count_characters_not_line_ends_or_accents(tmp_path):
    # CRLF counted two, a decomposed 'é' (macOS) two: 1500 signs read as 2201
    abstract = unicodedata.normalize("NFD", "é" * 700) + "\r\n" + "a" * 799
    form = tmp_path / "form.csv"
    with form.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(
            [
                ["Titre", "Format", "Intervenant·es", "Résumé", "Langue"],
                [unicodedata.normalize("NFD", "Données"), "keynote", "Éloïse Roy", abstract, "FR"],
            ]
        )
    result = import_form(form, SLOTS, options=ImportOptions(name="x"))
    proposal = result.data["proposals"][0]
    assert len(proposal["abstract"]) == 1500 and "\r" not in proposal["abstract"]
    assert proposal["title"] == "Données" and result.instance.speakers[0].id == "eloise-roy"
    assert result.data["speakers"][0]["name"] == "Éloïse Roy"  # composed, as typed
    written = write_instance(result, tmp_path / "out.yaml", {"form": form}).read_text()
    assert "\r" not in written


# -- CFP tools' exports ------------------------------------------------------------


def test_a_pretalx_sessions_export_imports_as_it_is():
    # pretalx's headers ('Proposal state', 'Session type' with its 'Duration' apart,
    # 'Abstract' beside 'Description', 'Speaker IDs' beside 'Speaker names') gave "no
    # column for format", then "rename one"
    result = import_form(
        PRETALX, SLOTS, options=ImportOptions(name="pretalx", timezone="Europe/Paris")
    )
    instance = result.instance
    # 'submitted' (its pending state, accepted, not yet public), 'rejected', 'withdrawn'
    assert result.not_accepted == 3
    assert [(p.id, p.format.value, p.language.value) for p in instance.proposals] == [
        ("p-3WXKPA", "initiative", "fr"),  # 'Inspiring initiative', 10
        ("CVMN7E", "initiative", "en"),  # 'Lightning talk', 10
        ("LQ7NRT", "keynote", "fr"),  # 'Keynote', 20
        ("MZ3QHW", "keynote", "en"),
    ]
    keynote = instance.proposal_by_id["LQ7NRT"]
    assert keynote.title == "Communs numériques et IA : qui gouverne les modèles ouverts ?"
    assert keynote.abstract.startswith("Poids ouverts, licences libres")  # not 'Description'
    assert "\n" in keynote.abstract
    assert keynote.participatory_format == "World café en quatre tables, restitution croisée"
    assert [p.themes for p in instance.proposals] == [
        ["data-commons"],
        ["materiality"],
        ["open-models"],
        ["trust"],
    ]
    # names joined by commas (a pseudonym, a surname first in capitals), and the
    # affiliations one per line in a question of the call
    assert [p.speakers for p in instance.proposals] == [
        ["ines-carpentier", "sidi-ould-cheikh"],
        ["ravi-subramanian", "diallo-aminata"],
        ["clemence-aubry", "yannick-le-bihan"],
        ["elodie-fabre", "pixelle"],
    ]
    assert [(s.name, s.affiliation) for s in instance.speakers] == [
        ("Inès Carpentier", "Coopérative Terres Hautes"),
        ("Sidi ould Cheikh", "Institut des communs agricoles"),
        ("Ravi Subramanian", "Open Compute Coop"),
        ("DIALLO Aminata", "Laboratoire Sahel Numérique"),
        ("Clémence Aubry", "Université de Val-d'Orge"),
        ("Yannick Le Bihan", "Collectif Données Ouvertes"),
        ("Élodie Fabre", "Ville de Lyon"),
        ("Pixelle", "Collectif Libre Ouvert"),
    ]
    assert result.notes == [
        "themes: no --themes, so the six of the Commons AI 2026 call were written, which are "
        "that event's themes, not another's: for another event, import again with --themes "
        "FILE giving its own (a themes: list of id and label) before `scheduler themes "
        "--apply` puts these on its proposals",
        "pretalx-sessions.csv: ignored columns 'Pending proposal state', 'Tags', "
        "'Description', 'Notes', 'Speaker IDs'",
        "event: titled 'pretalx' (the instance's name; no --title) and the venue 'TBA' (no "
        "--venue): they head every page of the grid and every calendar; give --title and "
        "--venue, or edit event: in the file written",
    ]


def test_a_sessionize_export_with_a_row_per_speaker_imports_as_the_sessions_one(tmp_path):
    # each session with two speakers given as two rows, one speaker each
    sessions = pd.read_excel(SESSIONIZE, dtype=str, keep_default_na=False, engine="openpyxl")
    rows = []
    for _, session in sessions.iterrows():
        for name in session["Speakers"].split(", "):
            rows.append(session.to_dict() | {"Speakers": name})
    assert len(rows) > len(sessions)
    flattened = tmp_path / "sessionize-flattened.xlsx"
    pd.DataFrame(rows).to_excel(flattened, index=False)
    options = ImportOptions(name="x")
    assert (
        import_form(flattened, SLOTS, options=options).data["proposals"]
        == import_form(SESSIONIZE, SLOTS, options=options).data["proposals"]
    )


def test_a_sessionize_sessions_export_imports_as_it_is(tmp_path, capsys):
    out = tmp_path / "commons.yaml"
    code, stdout, err = run(["import", SESSIONIZE, "--slots", SLOTS, "-o", out], capsys)
    assert code == 0, err
    assert "4 proposals (2 keynotes, 2 initiatives), 7 speakers" in stdout
    assert "3 rows not accepted were left out" in stdout  # Declined, Nominated, Waitlisted
    assert (
        "note: sessionize-sessions.xlsx: ignored columns 'Owner', 'Level', 'Room', "
        "'Scheduled At'" in err
    )
    instance = load_instance(out)
    assert [(p.id, p.format.value, p.language.value) for p in instance.proposals] == [
        ("p-912401", "keynote", "fr"),
        ("p-912402", "initiative", "en"),
        ("p-912405", "initiative", "fr"),
        ("p-912407", "keynote", "en"),
    ]
    commons = instance.proposal_by_id["p-912401"]
    assert commons.speakers == ["marion-lefort", "karim-bensaid"]
    assert commons.participatory_format == "Débat mouvant"
    assert commons.abstract.endswith("Temps participatif : débat mouvant.")
    # tracks by their French or English labels, two in one cell
    assert instance.proposal_by_id["p-912405"].themes == ["materiality", "data-commons"]
    assert [s.name for s in instance.speakers] == [
        "Marion Lefort",
        "Karim Bensaïd",
        "Aoife Brennan",
        "Lucie Garnier",
        "Théo Vasseur",
        "Dmitri Volkov",
        "Ama Owusu",
    ]


@pytest.mark.parametrize(
    ("export", "row", "changes", "column", "message"),
    [
        (
            PRETALX,
            5,
            {"Proposal state": "accepted"},
            "Session type",
            "cannot read 'Workshop (90 min)' as keynote (20') or initiative (10')",
        ),
        (
            PRETALX,
            7,
            {"Duration": "10"},
            "Session type",
            "cannot tell 'Keynote (10 min)' apart: keynote (20') or initiative (10')",
        ),
        (
            SESSIONIZE,
            4,
            {"Status": "Accepted"},
            "Session format",
            "cannot read 'Atelier (90 min)' as keynote (20') or initiative (10')",
        ),
        (SESSIONIZE, 8, {"Status": "Accept Queue"}, "Status", "cannot read 'Accept Queue'"),
    ],
    ids=["pretalx-workshop", "pretalx-keynote-of-10-min", "sessionize-atelier", "accept-queue"],
)
def test_a_cfp_export_row_outside_the_call_is_a_bad_row(
    export, row, changes, column, message, tmp_path
):
    csv_file = export.suffix == ".csv"
    table = (
        pd.read_csv(export, dtype=str, keep_default_na=False)
        if csv_file
        else pd.read_excel(export, dtype=object, engine="openpyxl")
    )
    for header, value in changes.items():
        table.loc[row - 2, header] = value
    changed = tmp_path / export.name
    if csv_file:
        table.to_csv(changed, index=False)
    else:
        table.to_excel(changed, index=False)
    with pytest.raises(BadRowsError) as info:
        import_form(changed, SLOTS)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert problem.message.startswith(message)


def test_a_duration_column_completes_the_format(tmp_path):
    # 'Format' beside 'Durée' asked to rename one
    form = write_csv(
        tmp_path / "form.csv",
        [
            ["Titre", "Format", "Durée (minutes)", "Intervenant·es", "Langue"],
            ["Open data", "Talk", "20", "Ana Lima", "FR"],
            ["Frugal AI", "Pitch", "", "Ben Roy", "FR"],
            ["Long talk", "Keynote", "45", "Chen Wei", "EN"],
        ],
    )
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (4, "Format")
    assert problem.message == (
        "cannot read 'Keynote (45 min)': the call offers keynote (20') or initiative (10') only"
    )
    result = import_form(form, SLOTS, options=ImportOptions(skip_bad_rows=True))
    assert [p.format.value for p in result.instance.proposals] == ["keynote", "initiative"]


# -- end to end ----------------------------------------------------------------


def test_import_apply_themes_solve_and_validate(tmp_path, capsys):
    instance = tmp_path / "commons.yaml"
    solution = tmp_path / "solution.json"
    code, out, _ = run(
        ["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance,
         "--title", "Commons AI 2026", "--venue", "CNIT Paris La Défense"],
        capsys,
    )  # fmt: skip
    assert code == 0, out
    assert "14 proposals (5 keynotes, 9 initiatives), 11 speakers" in out
    assert "# 14 proposals have no theme yet" in instance.read_text(encoding="utf-8")
    code, out, _ = run(["themes", instance, "--apply"], capsys)
    assert code == 0 and "wrote themes into 14 proposals" in out
    assert all(p.themes for p in load_instance(instance).proposals)
    # the import's note said "14 proposals have no theme yet" after they all had one
    assert "no theme yet" not in instance.read_text(encoding="utf-8")
    code, out, err = run(
        ["solve", instance, "-o", solution, "--time-limit", "10", "--workers", "1", "--quiet"],
        capsys,
    )
    assert code == 0, err
    code, out, err = run(["validate", instance, solution], capsys)
    assert code == 0, out + err
    placed = json.loads(solution.read_text())["workshops"]
    assert placed, "the imported instance should schedule some workshops"


def test_reimport_keeps_coordinators_edits(tmp_path, capsys):
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    run(["themes", instance, "--apply"], capsys)
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    ids = [p["id"] for p in data["proposals"]]
    data["rules"] = {"opening_minutes": 10}
    data["proposals"][0]["pin"] = data["slots"][0]["id"]
    data["proposals"][1]["themes"] = ["trust"]  # a coordinator's correction
    data["constraints"] = {
        "together": [{"proposals": ids[:2]}],
        "apart": [{"proposals": [ids[2], ids[3]]}],
    }
    data["slots"][1]["closed"] = True
    data["slots"][0]["frozen"] = True  # a workshop composed by hand: its pinned proposal
    data["event"]["venue"] = "CNIT Paris La Défense"
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    # New answers arrive, one proposal is withdrawn, rows are re-sorted.
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    late = list(body[1])
    late[2], late[4] = "Une proposition arrivée en retard", "Nouvelle Personne (Labo Z)"
    withdrawn = body.pop(3)  # the 4th row: data["proposals"][3]
    assert withdrawn[2] == data["proposals"][3]["title"]
    form = write_csv(tmp_path / "form-v2.csv", [header, late, *reversed(body)])

    code, out, err = run(
        ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    again = load_instance(instance)
    assert again.rules.opening_minutes == 10
    assert again.event.venue == "CNIT Paris La Défense"
    first, second = (again.proposal_by_id[i] for i in ids[:2])
    assert first.pin == data["slots"][0]["id"] and first.themes == data["proposals"][0]["themes"]
    assert second.themes == ["trust"]
    assert [g.proposals for g in again.constraints.together] == [ids[:2]]
    assert again.constraints.apart == []  # its pair lost a member
    assert again.slot_by_id[data["slots"][1]["id"]].closed
    assert again.slot_by_id[data["slots"][0]["id"]].frozen
    # Availability came from the previous instance since no file was given this time.
    assert again.speaker_by_id["jeanne-dupont"].unavailable
    new = [p for p in again.proposals if p.id not in ids]
    assert [p.title for p in new] == ["Une proposition arrivée en retard"] and not new[0].themes
    assert ids[3] not in again.proposal_by_id
    assert f"no longer imported (not in the form, or not accepted): {ids[3]}" in err


def test_reimport_says_when_the_form_s_themes_replace_the_kept_instance_s(tmp_path, capsys):
    # a coordinator moves a talk to another theme in the instance; the form's themes
    # column (pretalx's Track) still says the first: each re-import put it back without
    # a word, and the talk into another workshop
    rows = [[*r, "Thème"] if n == 0 else [*r, ""] for n, r in enumerate(_csv_rows(FORM))]
    rows[1][-1] = "open-models"
    rows[2][-1] = "data-commons, trust"
    form = write_csv(tmp_path / "form.csv", rows)
    instance = tmp_path / "commons.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", instance], capsys)
    assert code == 0, err
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    first, second, third = data["proposals"][:3]
    assert first["themes"] == ["open-models"] and second["themes"] == ["data-commons", "trust"]
    first["themes"] = ["public-policy"]  # the coordinator's choice
    second["themes"] = ["trust", "data-commons"]  # the primary swapped
    third["themes"] = ["materiality"]  # none in the form: kept, as before
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, _, err = run(
        ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    again = load_instance(instance)
    assert again.proposal_by_id[first["id"]].themes == ["open-models"]
    assert again.proposal_by_id[second["id"]].themes == ["data-commons", "trust"]
    assert again.proposal_by_id[third["id"]].themes == ["materiality"]
    flat = " ".join(err.split())
    assert (
        f"{first['id']}: themes public-policy in the kept instance, open-models in the form: "
        "the form's are used (a re-import takes a proposal's themes from the form when it "
        "gives any; the first is the primary); to keep public-policy, write it in the form, "
        "or leave the form's cell empty"
    ) in flat
    assert (
        f"{second['id']}: themes trust, data-commons in the kept instance, data-commons, trust in the form"
        in flat
    )
    assert f"{third['id']}: themes" not in flat
    # the same themes: no note
    code, _, err = run(
        ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    assert "in the kept instance" not in err


def test_reimport_keeps_the_event_s_days_given_with_days(tmp_path, capsys):
    # the event runs 1-3 December, FOST's slots of the 3rd not yet in the file: imported
    # with --days, re-imported without it, the days shrank to the slots' 1-2 December
    # without a word, and the availability of the 3rd became rows outside the event
    slots = tmp_path / "slots.csv"
    slots.write_text(
        "Salle;Date;Début;Fin\nSalle Arche;01/12/2026;14h;15h30\nSalle Arche;02/12/2026;14h;15h30\n",
        encoding="utf-8",
    )
    instance = tmp_path / "commons.yaml"
    argv = ["--slots", slots, "--availability", AVAIL, "-o", instance]
    code, _, err = run(["import", FORM, *argv, "--days", "2026-12-01", "2026-12-03"], capsys)
    assert code == 0, err
    code, out, err = run(["import", FORM, *argv, "--keep", instance], capsys)
    assert code == 0, err
    assert load_instance(instance).event.days == (date(2026, 12, 1), date(2026, 12, 3))
    assert "days 2026-12-01..2026-12-03" in out and "event: days" not in err
    # slots beyond the kept days widen them, with a note
    with slots.open("a", encoding="utf-8") as handle:
        handle.write("Salle Arche;04/12/2026;10h;11h\n")
    code, out, err = run(["import", FORM, *argv, "--keep", instance], capsys)
    assert code == 0, err
    assert load_instance(instance).event.days == (date(2026, 12, 1), date(2026, 12, 4))
    assert (
        "event: days 2026-12-01..2026-12-04, no longer 2026-12-01..2026-12-03 as in the kept "
        "instance: the slots file has slots on 2026-12-04; give --days to set them"
    ) in " ".join(err.split())
    # --days still sets them
    code, out, err = run(
        ["import", FORM, *argv, "--keep", instance, "--days", "2026-12-01", "2026-12-05"], capsys
    )
    assert code == 0, err
    assert load_instance(instance).event.days == (date(2026, 12, 1), date(2026, 12, 5))


def test_reimport_says_when_the_form_s_participatory_format_replaces_the_kept_one(tmp_path, capsys):
    # the participatory format is on the grid and in the calendars: a coordinator's edit
    # of it in the instance was reverted by each re-import without a word
    instance = tmp_path / "commons.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    assert code == 0, err
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    first, second = data["proposals"][0], data["proposals"][2]
    assert first["participatory_format"] == "World café en quatre tables, restitution croisée"
    first["participatory_format"] = "World café en six tables"
    second.pop("participatory_format")  # the form's "Fishbowl" comes back: no note
    third = data["proposals"][4]  # Karim Haddad's keynote
    third["participatory_format"] = "Débat mouvant, puis questions"
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, _, err = run(
        ["import", FORM, "--slots", SLOTS, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    again = load_instance(instance)
    assert again.proposal_by_id[first["id"]].participatory_format == (
        "World café en quatre tables, restitution croisée"
    )
    assert again.proposal_by_id[second["id"]].participatory_format == "Fishbowl"
    assert (
        f"{first['id']}: participatory format “World café en six tables” in the kept "
        "instance, “World café en quatre tables, restitution croisée” in the form: the "
        "form's is used (a re-import takes it from the form, as the title, format, language "
        "and abstract); to keep “World café en six tables”, change it in the form"
    ) in " ".join(err.split())
    assert f"{second['id']}: participatory" not in err
    assert third["title"].startswith("Frugalité")
    assert (
        f"{third['id']}: participatory format “Débat mouvant, puis questions” in the kept "
        "instance, “Débat mouvant (les participants se placent selon leur accord)” in the form"
    ) in " ".join(err.split())
    # left blank in the form: none, with the note
    blank = _form_edited(tmp_path, "form-v2.csv", ("Communs numériques", 7, ""))
    code, _, err = run(
        ["import", blank, "--slots", SLOTS, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    assert load_instance(instance).proposal_by_id[first["id"]].participatory_format is None
    assert (
        f"{first['id']}: participatory format “World café en quatre tables, restitution "
        "croisée” in the kept instance, none in the form: the form's is used"
    ) in " ".join(err.split())


def test_reimport_keeps_an_absence_added_by_hand_and_names_windows_dropped(tmp_path, capsys):
    # a coordinator adds an absence to Karim Haddad by hand (he phoned); re-imported with
    # the availability file, which has rows of his, it was dropped without a word
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    karim = next(s for s in data["speakers"] if s["id"] == "karim-haddad")
    assert karim["preferred"] == [{"start": "2026-12-03T14:00:00", "end": "2026-12-03T18:00:00"}]
    karim["unavailable"] = [{"start": "2026-12-02T13:00:00", "end": "2026-12-02T18:00:00"}]
    karim["available"] = [{"start": "2026-12-01T09:00:00", "end": "2026-12-01T12:00:00"}]
    eloise = next(s for s in data["speakers"] if s["id"] == "eloise-lefevre")
    # (beside the file's new word, available that day: dropped)
    eloise["available"] = [{"start": "2026-12-03T08:00:00", "end": "2026-12-03T18:00:00"}]
    eloise["unavailable"] = [{"start": "2026-12-02T10:00:00", "end": "2026-12-02T11:00:00"}]
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    argv = ["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance]
    code, _, err = run([*argv, "--keep", instance], capsys)
    assert code == 0, err
    again = load_instance(instance)
    spans = [
        (w.start.isoformat(), w.end.isoformat())
        for w in again.speaker_by_id["karim-haddad"].unavailable
    ]
    assert ("2026-12-02T13:00:00", "2026-12-02T18:00:00") in [(a[:19], b[:19]) for a, b in spans]
    assert not again.speaker_by_id["karim-haddad"].available
    assert not again.speaker_by_id["eloise-lefevre"].unavailable
    flat = " ".join(err.split())
    assert (
        "Karim Haddad (karim-haddad): kept the unavailable window 2026-12-02 13:00–18:00, "
        "in the kept instance but not in the availability file, which gives other windows "
        "of this speaker (added by hand, or given by an earlier availability file): an "
        "absence is kept, the safer reading; if it no longer holds (corrected in the "
        "file), delete it from the instance, else add it to the availability file"
    ) in flat
    assert (
        "Karim Haddad (karim-haddad): dropped the window available 2026-12-01 09:00–12:00, "
        "which only the kept instance had: the availability file gives this speaker's "
        "available and preferred windows; to keep it, add it to the availability file"
    ) in flat
    assert (
        "Éloïse Lefèvre (eloise-lefevre): dropped the unavailable window 2026-12-02 "
        "10:00–11:00, which only the kept instance had: the availability file now gives "
        "this speaker as available or preferring to speak then"
    ) in flat
    # the next re-import keeps it again, and says so again (until it is in the file, or
    # deleted); what was dropped is gone from the instance
    code, _, err = run([*argv, "--keep", instance], capsys)
    assert code == 0 and "kept the unavailable" in err and "dropped the" not in err


def test_reimport_says_where_the_form_overrides_a_hand_edit(tmp_path, capsys):
    # a coordinator set a talk's language to English in the instance (agreed with the
    # speaker), a format, a title and an abstract; --keep reverted them without a word,
    # and deleted her comments too
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    text = instance.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    first, second, third = data["proposals"][:3]
    assert first["language"] == "fr" and second["format"] == "initiative"
    first["language"] = "en"
    second["format"] = "keynote"
    third["title"] = "A title corrected by hand"
    third["abstract"] = "An abstract shortened by hand."
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    body = body.replace(
        "- id: karim-haddad\n", "- id: karim-haddad  # a appelé : malade mercredi\n"
    )
    instance.write_text(text.split("\nname:")[0] + "\n# notes de l'équipe\n" + body, "utf-8")
    argv = ["import", FORM, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert again.proposal_by_id[first["id"]].language == "fr"  # the form's
    flat = " ".join(err.split())
    assert (
        f"{first['id']}: language en in the kept instance, fr in the form: the form's is used "
        "(a re-import takes a proposal's title, format, language and abstract from the "
        "form); to keep en, change it in the form"
    ) in flat
    assert f"{second['id']}: format keynote in the kept instance, initiative in the form" in flat
    assert (
        f"{third['id']}: title “A title corrected by hand” in the kept instance, "
        "“Open evaluation as a commons: who benchmarks the benchmarks?” in the form"
    ) in flat
    assert (
        f"{third['id']}: the abstract differs in the kept instance and in the form: the "
        "form's is used; to keep the instance's, copy it into the form"
    ) in flat
    assert "commons.yaml: 2 comment lines (lines " in flat
    assert "are not carried over into the instance written" in flat
    # now alike: nothing more to say
    code, _, err = run(argv, capsys)
    assert code == 0 and "in the kept instance" not in err and "comment line" not in err


def test_a_hash_inside_a_text_is_not_a_comment_lost(tmp_path):
    # an abstract written as a block by the import, with a hashtag in it, was counted
    # as a comment "not carried over" on every re-import
    kept = tmp_path / "commons.yaml"
    kept.write_text(
        "name: commons\n"
        "proposals:\n"
        "  - id: p1  # rappeler Jeanne\n"
        '    title: "Les communs #1"\n'
        "    abstract: |\n"
        "      Un atelier sur les #communs\n"
        "      # et le reste, toujours du texte\n"
        "    url: https://example.org/#programme\n"
        "# fin des notes\n",
        encoding="utf-8",
    )
    (note,) = _comments_lost(kept)
    assert "2 comment lines (lines 3, 9)" in note


def test_reimport_keeps_the_kept_instance_s_order_of_proposals(tmp_path, capsys):
    # the form's rows sorted by title in the spreadsheet: the re-import reordered the
    # proposals, and with them the talks in their workshops ("changes time" for nothing)
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    before = [p.id for p in load_instance(instance).proposals]
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    late, later = list(body[1]), list(body[2])
    late[2], later[2] = "Zéro déchet numérique", "Acheter ouvert"
    form = write_csv(
        tmp_path / "sorted.csv", [header, late, *sorted(body, key=lambda r: r[2]), later]
    )
    argv = ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    after = [p.id for p in load_instance(instance).proposals]
    assert after[: len(before)] == before
    titles = [load_instance(instance).proposal_by_id[p].title for p in after[len(before) :]]
    assert titles == ["Zéro déchet numérique", "Acheter ouvert"]  # the form's order


def test_a_preference_no_schedule_can_meet_is_noted(tmp_path):
    # preferred on an afternoon of a day the speaker is unavailable: accepted without a
    # word, and `speaker-preference` cost in every solve
    availability = write_csv(
        tmp_path / "availability.csv",
        [
            ["Intervenant", "Jour", "De", "À", "Disponibilité"],
            ["Karim Haddad", "02/12/2026", "14h", "18h", "préféré"],
            ["Karim Haddad", "02/12/2026", "", "", "indisponible"],
            ["Tomás Ruiz", "01/12/2026", "", "", "disponible"],
            ["Tomás Ruiz", "03/12/2026", "9h", "12h", "préféré"],
            ["Maria Rossi", "01/12/2026", "9h", "12h", "préféré"],
            ["Maria Rossi", "01/12/2026", "", "", "disponible"],
        ],
    )
    notes = import_form(FORM, SLOTS, availability).notes
    assert (
        "Karim Haddad (karim-haddad) prefers 2026-12-02 14:00–18:00 but is unavailable then "
        "(2026-12-02, all day): the preference cannot be met, and costs speaker-preference "
        "in every schedule; drop one of them"
    ) in notes
    assert (
        "Tomás Ruiz (tomas-ruiz) prefers 2026-12-03 09:00–12:00 but is available only at "
        "other times: the preference cannot be met, and costs speaker-preference in every "
        "schedule; drop one of them"
    ) in notes
    assert not [n for n in notes if "Maria Rossi" in n]


def _uids(folder: Path) -> dict[str, dict[str, str]]:
    """programme.ics's events by UID: their properties (unfolded; parameters dropped)."""
    return _events(folder / "programme.ics")


def _events(path: Path) -> dict[str, dict[str, str]]:
    """A calendar's events by UID: their properties (unfolded; parameters dropped)."""
    text = path.read_text(encoding="utf-8").replace("\n ", "")
    events = [e.split("END:VEVENT")[0] for e in text.split("BEGIN:VEVENT")[1:]]
    fields = [
        {
            line.split(":", 1)[0].split(";")[0]: line.split(":", 1)[1]
            for line in e.splitlines()
            if ":" in line
        }
        for e in events
    ]
    return {f["UID"]: f for f in fields}


RESOLVE = ["solve", "--time-limit", "5", "--workers", "1", "--quiet"]


def _published(tmp_path: Path, capsys, *options: str) -> tuple[Path, Path]:
    """The fixture form imported into commons.yaml, themed, solved into s1.json and its
    calendars exported into e1/ (with `options`): the instance and the publication."""
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    run(["themes", instance, "--apply"], capsys)
    published = tmp_path / "s1.json"
    code, _, err = run([*RESOLVE, instance, "-o", published], capsys)
    assert code == 0, err
    argv = ["export", "ics", *options, instance, published, "-o", tmp_path / "e1"]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    return instance, published


def test_reimport_into_a_new_file_keeps_the_instance_s_name(tmp_path, capsys):
    # the name came from the output file: `--keep commons.yaml -o commons-v2.yaml` renamed
    # the instance 'commons-v2', every calendar UID with it, and `solve --reference` with
    # the published solution was refused
    instance, published = _published(tmp_path, capsys)
    v2 = tmp_path / "commons-v2.yaml"
    code, out, err = run(["import", FORM, "--slots", SLOTS, "-o", v2, "--keep", instance], capsys)
    assert code == 0, err
    assert load_instance(v2).name == "commons"
    assert (
        "note: name: kept 'commons', the kept instance's, not 'commons-v2' as the output "
        "file's name would give"
    ) in " ".join(err.split())
    code, _, err = run([*RESOLVE, v2, "--reference", published, "-o", tmp_path / "s2.json"], capsys)
    assert code == 0, err
    argv = ["export", "ics", v2, tmp_path / "s2.json", "--reference", published]
    code, _, err = run([*argv, "-o", tmp_path / "e2"], capsys)
    assert code == 0, err
    before, after = _uids(tmp_path / "e1"), _uids(tmp_path / "e2")
    assert before and set(after) == set(before)
    assert all(uid.startswith("commons/") for uid in after)
    assert all(event.get("STATUS") != "CANCELLED" for event in after.values())
    # re-imported into itself, the name stays (the note with it: the file's name differs)
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", v2, "--keep", v2], capsys)
    assert code == 0 and load_instance(v2).name == "commons" and "note: name: kept" in err
    code, _, err = run(
        ["import", FORM, "--slots", SLOTS, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0 and "name:" not in err


def test_reimport_with_name_renames_the_instance_and_says_so(tmp_path, capsys):
    instance, v2 = tmp_path / "commons.yaml", tmp_path / "commons-v2.yaml"
    run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    argv = ["import", FORM, "--slots", SLOTS, "-o", v2, "--keep", instance, "--name", "fost"]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert load_instance(v2).name == "fost"
    assert (
        "note: name: 'fost' (--name) replaces 'commons', the kept instance's: its calendar "
        "events get new UIDs"
    ) in " ".join(err.split())
    # without --keep the output file's name, as before
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", tmp_path / "v3.yaml"], capsys)
    assert code == 0 and load_instance(tmp_path / "v3.yaml").name == "v3"
    assert "name:" not in err


def test_reimport_keeps_the_marks_of_suggested_themes(tmp_path, capsys):
    # re-dumped by a re-import, the themes `--apply` had written lost their marks, and
    # `scheduler themes` then counted them as a coordinator's choice
    from scheduler.themes import SUGGESTED_MARK, marked_as_suggested

    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    run(["themes", instance, "--apply"], capsys)
    marked = marked_as_suggested(instance)
    assert marked
    # a coordinator checks one: its mark deleted
    lines = instance.read_text(encoding="utf-8").split("\n")
    checked = next(i for i, line in enumerate(lines) if SUGGESTED_MARK in line)
    lines[checked] = lines[checked].split("  #")[0]
    instance.write_text("\n".join(lines), encoding="utf-8")
    still = marked_as_suggested(instance)
    assert len(still) == len(marked) - 1
    themes = {p.id: p.themes for p in load_instance(instance).proposals}
    argv = ["import", FORM, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert marked_as_suggested(instance) == still
    assert {p.id: p.themes for p in load_instance(instance).proposals} == themes


def test_the_header_note_names_the_instance_as_given_to_o(tmp_path, monkeypatch, capsys):
    # the note heading the file said `scheduler themes commons.yaml --apply`, the file
    # written to instances/commons.yaml: the command, copied, failed
    monkeypatch.chdir(tmp_path)
    (tmp_path / "instances").mkdir()
    code, out, err = run(["import", FORM, "--slots", SLOTS, "-o", "instances/commons.yaml"], capsys)
    assert code == 0, err
    command = "`scheduler themes instances/commons.yaml --apply`"
    text = (tmp_path / "instances" / "commons.yaml").read_text(encoding="utf-8")
    assert f"# {command} (without one, a proposal gets no slot)." in text.split("\nname:")[0]
    assert f"run {command} or assign" in " ".join(out.split())  # as stdout says it
    code, out, err = run(command.strip("`").split()[1:], capsys)  # the command, copied
    assert code == 0, err
    assert "no theme yet" not in (tmp_path / "instances" / "commons.yaml").read_text("utf-8")


def _retitled_form(tmp_path: Path, name: str, extra_title: str | None = None) -> Path:
    """The fixture's form with Karim Haddad's keynote title corrected ("data centers" ->
    "data centres"), and with `extra_title` another keynote of his."""
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    row = next(r for r in body if r[4].startswith("Karim Haddad"))
    second = list(row)
    row[2] = row[2].replace("data centers", "data centres")
    if extra_title is not None:
        second[2] = extra_title
        body.append(second)
    return write_csv(tmp_path / name, [header, *body])


KARIM = "p-frugalite-modeles-petits-f6e480"  # the keynote before its title was corrected


def _karims_keynote_set_by_hand(instance: Path) -> tuple[str, str]:
    """Karim's keynote pinned and put together with another proposal by hand, editing the
    text (the marks of the themes `--apply` wrote stay); its slot and partner."""
    text = instance.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    slot, partner = data["slots"][0]["id"], data["proposals"][0]["id"]
    assert KARIM in text and partner != KARIM
    text = text.replace(f"- id: {KARIM}\n", f"- id: {KARIM}\n  pin: {slot}\n")
    text += f"constraints:\n  together:\n  - proposals: [{partner}, {KARIM}]\n"
    instance.write_text(text, encoding="utf-8")
    return slot, partner


def test_reimport_carries_a_retitled_proposal_over_under_its_id(tmp_path, capsys):
    # a typo in a title corrected between the call and the event: the id changed, and
    # --keep silently dropped the proposal's pin and themes, with a note saying it was no
    # longer in the form; then it carried them to the new id, whose talk was a new
    # calendar event (and the old one cancelled): the proposal keeps its id
    from scheduler.themes import marked_as_suggested

    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    run(["themes", instance, "--apply"], capsys)
    themes = load_instance(instance).proposal_by_id[KARIM].themes
    assert themes and KARIM in marked_as_suggested(instance)
    slot, partner = _karims_keynote_set_by_hand(instance)
    form = _retitled_form(tmp_path, "form-v2.csv")
    output = tmp_path / "out" / "commons.yaml"
    argv = ["import", form, "--slots", SLOTS, "-o", output, "--keep", instance]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    written = output.read_text(encoding="utf-8")
    output.unlink()  # the same import again: the same file, the same notes
    assert run(argv, capsys) == (0, out, err) and output.read_text(encoding="utf-8") == written
    again = load_instance(output)
    (new,) = (p for p in again.proposals if p.speakers == ["karim-haddad"])
    assert new.id == KARIM and "data centres" in new.title
    given = proposal_id(new.title, new.speakers)  # what the new title gives
    assert given != KARIM and given not in again.proposal_by_id
    assert new.pin == slot and new.themes == themes
    assert [g.proposals for g in again.constraints.together] == [[partner, KARIM]]
    assert KARIM in marked_as_suggested(output)  # still a suggestion nobody checked
    flat = " ".join(err.split())
    assert "no longer imported (not in the form" not in flat
    assert "dropped a 'together' constraint" not in flat
    assert (
        f"{KARIM} (“Frugalité : des modèles plus petits pour des data centers moins "
        f"gourmands”) is no longer in the form and “{new.title}” is new there, with the "
        "same presenter (Karim Haddad) and format (keynote): read as the same proposal "
        f"with its title edited, so it keeps the id {KARIM} (and its talk its calendar "
        f"event) rather than {given}, which the new title gives; carried over its themes "
        f"({', '.join(themes)}), its pin to {slot} and its 'together' constraint with "
        f"{partner}, since these are the only proposals of theirs to go and to come; check "
        f"it: if they are not the same proposal, give the new one the id {given} and take "
        "off what was carried over"
    ) in flat
    # imported again, the kept id is found by the title it now has: silently, and even
    # beside a second keynote of Karim's (which could not tell the two apart before)
    form = _retitled_form(tmp_path, "form-v3.csv", "Sobriété numérique : un second regard")
    argv = ["import", form, "--slots", SLOTS, "-o", output, "--keep", output]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    third = load_instance(output)
    assert third.proposal_by_id[KARIM].title == new.title
    assert third.proposal_by_id[KARIM].pin == slot
    assert len([p for p in third.proposals if p.speakers == ["karim-haddad"]]) == 2
    assert "title edited" not in err and "no longer imported" not in err


def test_a_retitled_talk_keeps_its_calendar_event(tmp_path, capsys):
    # the corrected title gave a new id: the speaker's calendars got "ANNULÉ — <old
    # title>" and a new event at the same time, instead of the event updated
    instance, published = _published(tmp_path, capsys, "--items")
    export = ["export", "ics", "--items"]
    form = _retitled_form(tmp_path, "form-v2.csv")
    code, _, err = run(
        ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    assert "data centres" in load_instance(instance).proposal_by_id[KARIM].title
    solution = tmp_path / "s2.json"
    code, _, err = run([*RESOLVE, instance, "--reference", published, "-o", solution], capsys)
    assert code == 0, err
    argv = [*export, instance, solution, "--reference", published, "-o", tmp_path / "e2"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    before, after = _uids(tmp_path / "e1"), _uids(tmp_path / "e2")
    assert set(after) == set(before)
    assert all(event.get("STATUS") != "CANCELLED" for event in after.values())
    talk = after[f"commons/talk/{KARIM}@commons-scheduler"]
    assert "data centres" in talk["SUMMARY"] and talk["SEQUENCE"] == "1"
    # (the talk, and its workshop, whose description lists it)
    assert "2 changed and 0 cancelled since the reference" in out and "added" not in out


def test_a_new_proposal_never_takes_the_id_a_retitled_one_kept(tmp_path, capsys):
    # Karim's keynote kept its id under its corrected title; then a new keynote of his
    # under the first title gives that id too: two proposals of one id, or the new one
    # taking the other's pin and calendar event
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    slot, _ = _karims_keynote_set_by_hand(instance)
    argv = ["import", _retitled_form(tmp_path, "form-v2.csv"), "--slots", SLOTS]
    code, _, err = run([*argv, "-o", instance, "--keep", instance], capsys)
    assert code == 0, err
    retitled = load_instance(instance).proposal_by_id[KARIM]
    assert "data centres" in retitled.title
    first_title = retitled.title.replace("data centres", "data centers")
    form = _retitled_form(tmp_path, "form-v3.csv", first_title)
    argv = ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert again.proposal_by_id[KARIM].title == retitled.title
    assert again.proposal_by_id[KARIM].pin == slot
    other = again.proposal_by_id[f"{KARIM}-2"]
    assert other.title == first_title and other.pin is None
    flat = " ".join(err.split())
    assert (
        f"{KARIM}-2 (“{first_title}”) is new, and its title and presenters give {KARIM}, "
        f"the id that {KARIM} (“{retitled.title}”) kept when its title or presenters were "
        f"edited: it gets "
        f"{KARIM}-2 instead"
    ) in flat
    # and keeps it
    written = instance.read_text(encoding="utf-8")
    code, _, err = run(argv, capsys)
    assert code == 0 and "is new" not in err
    assert instance.read_text(encoding="utf-8") == written


def test_reimport_with_the_form_s_own_ids_carries_nothing_to_a_new_id(tmp_path, capsys):
    # with an id column, a new id is a new proposal (its title edited keeps the id): a
    # talk withdrawn and another of the same presenter sent got the first one's pin and
    # themes, "read as the same proposal with its title edited"
    rows = [r for r in csv.reader(FORM.open(encoding="utf-8")) if any(r)]
    numbered = [["id", *rows[0]]] + [[str(n), *row] for n, row in enumerate(rows[1:], 1)]
    karim = next(n for n, row in enumerate(numbered) if row[5].startswith("Karim Haddad"))
    form = write_csv(tmp_path / "form-ids.csv", numbered)
    instance = tmp_path / "commons.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", instance], capsys)
    assert code == 0, err
    text = instance.read_text(encoding="utf-8")
    old_id = f"p-{karim}"
    slot = yaml.safe_load(text)["slots"][0]["id"]
    instance.write_text(text.replace(f"- id: {old_id}\n", f"- id: {old_id}\n  pin: {slot}\n"))
    assert load_instance(instance).proposal_by_id[old_id].pin == slot
    numbered[karim][0] = "99"  # withdrawn, and another talk of his sent
    form = write_csv(tmp_path / "form-ids-v2.csv", numbered)
    output = tmp_path / "v2.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", output, "--keep", instance], capsys)
    assert code == 0, err
    again = load_instance(output)
    assert again.proposal_by_id["p-99"].pin is None
    flat = " ".join(err.split())
    assert f"no longer imported (not in the form, or not accepted): {old_id}" in flat
    assert "read as the same proposal" not in flat and "title edited" not in flat


def test_reimport_does_not_guess_which_new_proposal_is_the_retitled_one(tmp_path, capsys):
    # a retitled proposal beside a second one of the same presenter and format: which
    # one it became cannot be told, so nothing is carried over, and the note says what
    # was set and is lost
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    for proposal in data["proposals"]:
        if proposal["id"] == KARIM:
            proposal["themes"] = ["materiality"]
            proposal["pin"] = data["slots"][0]["id"]
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    form = _retitled_form(tmp_path, "form-v2.csv", "Sobriété numérique : un second regard")
    argv = ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    new = [p for p in again.proposals if p.speakers == ["karim-haddad"]]
    assert len(new) == 2 and all(not p.themes and p.pin is None for p in new)
    # the new ids their titles give: neither takes the old one
    assert KARIM not in again.proposal_by_id
    assert all(p.id == proposal_id(p.title, p.speakers) for p in new)
    flat = " ".join(err.split())
    assert "no longer imported (not in the form" not in flat
    assert (
        f"{KARIM} (“Frugalité : des modèles plus petits pour des data centers moins "
        f"gourmands”) is no longer imported and {new[0].id} (“{new[0].title}”) and "
        f"{new[1].id} (“{new[1].title}”) are new, with the same presenter (Karim Haddad) "
        "and format (keynote): an edited title gives a new id, but which is which cannot "
        "be told, so the new ones keep theirs (a talk's calendar event goes by it) and "
        f"nothing was carried over of what was set on {KARIM}: its themes "
        f"(materiality) and its pin to {data['slots'][0]['id']}; set it again by hand on "
        "the new proposal that replaces it, if one does"
    ) in flat


COMMONS = "Communs numériques et IA : qui gouverne les modèles ouverts ?"
DUO = "Jeanne Dupont (Université de Val-d'Orge), John Smith – ACME Labs"


def _represented_form(tmp_path: Path, name: str, *presenters: str) -> Path:
    """The fixture's form with the presenters of Jeanne Dupont and John Smith's keynote
    replaced: one row per cell of `presenters` (the same title and format each)."""
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    row = next(r for r in body if r[2] == COMMONS)
    at = body.index(row)
    assert row[4] == DUO
    body[at : at + 1] = [[*row[:4], cell, *row[5:]] for cell in presenters]
    return write_csv(tmp_path / name, [header, *body])


def _duo_set_by_hand(tmp_path: Path, capsys) -> tuple[Path, str, str, str]:
    """The fixture imported and themed, the duo's keynote pinned and put together with
    another proposal: the instance, the keynote's id, its slot and its partner."""
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    run(["themes", instance, "--apply"], capsys)
    duo = proposal_id(COMMONS, ["jeanne-dupont", "john-smith"])
    text = instance.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    slot, partner = data["slots"][0]["id"], KARIM
    assert f"- id: {duo}\n" in text
    text = text.replace(f"- id: {duo}\n", f"- id: {duo}\n  pin: {slot}\n")
    text += f"constraints:\n  together:\n  - proposals: [{duo}, {partner}]\n"
    instance.write_text(text, encoding="utf-8")
    return instance, duo, slot, partner


def test_a_co_presenter_dropped_keeps_the_proposal_s_id(tmp_path, capsys):
    # John Smith drops out of the keynote he gave with Jeanne Dupont: the presenters gave
    # a new id, so the talk was cancelled in every calendar and added again, its themes,
    # pin and constraint lost, and during the event the talk given was "withdrawn"
    instance, duo, slot, partner = _duo_set_by_hand(tmp_path, capsys)
    themes = load_instance(instance).proposal_by_id[duo].themes
    form = _represented_form(tmp_path, "form-v2.csv", "Jeanne Dupont (Université de Val-d'Orge)")
    argv = ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    keynote = again.proposal_by_id[duo]
    assert keynote.speakers == ["jeanne-dupont"] and keynote.title == COMMONS
    assert keynote.pin == slot and keynote.themes == themes
    assert [g.proposals for g in again.constraints.together] == [[duo, partner]]
    given = proposal_id(COMMONS, ["jeanne-dupont"])
    assert given not in again.proposal_by_id
    flat = " ".join(err.split())
    assert "no longer imported (not in the form" not in flat
    assert (
        f"{duo} (“{COMMONS}”) is no longer in the form and a proposal of the same title and "
        "format (keynote) is new there, presented by Jeanne Dupont (without John Smith): "
        f"read as the same proposal with its presenters changed, so it keeps the id {duo} "
        f"(and its talk its calendar event) rather than {given}, which its new presenters "
        f"give; carried over its themes ({', '.join(themes)}), its pin to {slot} and its "
        f"'together' constraint with {partner}, since these are the only proposals of that "
        f"title and format to go and to come; check it: if they are not the same proposal, "
        f"give the new one the id {given} and take off what was carried over"
    ) in flat
    # imported again, the kept id is found by the presenters it has now, silently; and
    # with John Smith back on it, it is the id they give
    written = instance.read_text(encoding="utf-8")
    code, _, err = run(argv, capsys)
    assert code == 0 and "presenters changed" not in err and "no longer" not in err
    assert instance.read_text(encoding="utf-8").split("\n", 1)[1] == written.split("\n", 1)[1]
    form = _represented_form(tmp_path, "form-v3.csv", DUO)
    code, _, err = run(["import", form, *argv[2:]], capsys)
    assert code == 0, err
    back = load_instance(instance).proposal_by_id[duo]
    assert back.speakers == ["jeanne-dupont", "john-smith"] and back.pin == slot
    assert "no longer" not in err and len(load_instance(instance).proposals) == 14


def test_a_presenter_s_name_spelling_fixed_keeps_the_speaker_and_proposal_ids(tmp_path, capsys):
    # "John Smith" corrected to "Jon Smith": a new speaker (his calendar new), and with
    # him a new proposal
    instance, duo, slot, _ = _duo_set_by_hand(tmp_path, capsys)
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    john = next(s for s in data["speakers"] if s["id"] == "john-smith")
    john["unavailable"] = [{"start": "2026-12-03T00:00:00", "end": "2026-12-04T00:00:00"}]
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    fixed = "Jeanne Dupont (Université de Val-d'Orge), Jon Smith – ACME Labs"
    form = _represented_form(tmp_path, "form-v2.csv", fixed)
    argv = ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    jon = again.speaker_by_id["john-smith"]
    assert jon.name == "Jon Smith" and "jon-smith" not in again.speaker_by_id
    assert jon.unavailable  # his windows stay his
    keynote = again.proposal_by_id[duo]
    assert keynote.speakers == ["jeanne-dupont", "john-smith"] and keynote.pin == slot
    flat = " ".join(err.split())
    assert "no longer imported" not in flat
    assert (
        "speaker john-smith (John Smith) is no longer in the form and Jon Smith of ACME Labs "
        f"is new there, on the same proposal ({duo}): read as the same person with the "
        "name's spelling fixed, so the speaker keeps the id john-smith (and with it the "
        "speaker's calendar, and the proposals their ids) rather than jon-smith, which the "
        "new spelling gives, and the unavailable windows set on it; check it: if they are "
        "two people, give the new one the id jon-smith in speakers: and in the proposals "
        "naming it"
    ) in flat
    # later re-imports find the kept id by the name the speaker has now, silently
    code, _, err = run(argv, capsys)
    assert code == 0 and "spelling" not in err
    assert load_instance(instance).proposal_by_id[duo].speakers == ["jeanne-dupont", "john-smith"]
    # and another John Smith, of another proposal, does not take it
    rows = list(csv.reader(form.open(encoding="utf-8")))
    other = next(r for r in rows if r[2].startswith("Frugalité"))
    other[4] = "John Smith (Open Future)"
    form = write_csv(tmp_path / "form-v3.csv", rows)
    code, _, err = run(["import", form, *argv[2:]], capsys)
    assert code == 0, err
    third = load_instance(instance)
    assert third.speaker_by_id["john-smith"].name == "Jon Smith"
    assert third.speaker_by_id["john-smith-2"].affiliation == "Open Future"
    assert (
        "speaker john-smith-2 (John Smith) is new, and the name gives john-smith, the id that "
        "Jon Smith kept when the name's spelling was fixed: it gets john-smith-2 instead"
    ) in " ".join(err.split())


def _form_edited(
    tmp_path: Path, name: str, *edits: tuple[str, int, str], reverse: bool = False
) -> Path:
    """The fixture's form with cells changed (`edits`: the start of the row's title, the
    column, the new text) and, with `reverse`, its rows in the reverse order."""
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    for title, column, text in edits:
        row = next(r for r in body if r[2].startswith(title))
        row[column] = text
    return write_csv(tmp_path / name, [header, *(reversed(body) if reverse else body)])


OPEN_EVAL, HEALTH = "Open evaluation as a commons", "Partager des données de santé"


def test_reimport_keeps_a_speaker_s_name_while_the_form_writes_it(tmp_path, capsys):
    # Éloïse Lefèvre's keynote "Open evaluation" refused, her other one spelling her
    # "Eloise Lefevre": the re-import showed her so, an update in every calendar of her
    # talks; Chloé Martin's two affiliations, one row each, swapped with the rows' order
    v1 = _form_edited(tmp_path, "form.csv", ("Audit ouvert", 4, "Chloé MARTIN (Vérif'Citoyens)"))
    instance = tmp_path / "commons.yaml"
    code, _, err = run(["import", v1, "--slots", SLOTS, "-o", instance], capsys)
    assert code == 0, err
    first = load_instance(instance)
    assert first.speaker_by_id["eloise-lefevre"].name == "Éloïse Lefèvre"
    assert first.speaker_by_id["chloe-martin"].affiliation == "Association Vérif'Citoyens"
    v2 = _form_edited(
        tmp_path,
        "form-v2.csv",
        ("Audit ouvert", 4, "Chloé MARTIN (Vérif'Citoyens)"),
        (OPEN_EVAL, 8, "Refusé"),
        reverse=True,
    )
    argv = ["--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(["import", v2, *argv], capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert again.speaker_by_id["eloise-lefevre"].name == "Éloïse Lefèvre"
    assert again.speaker_by_id["chloe-martin"].affiliation == "Association Vérif'Citoyens"
    assert "speaker eloise-lefevre" not in err and "speaker chloe-martin" not in err
    # without --keep, the form's rows alone choose (the accents are no longer written)
    plain = tmp_path / "plain.yaml"
    code, _, err = run(["import", v2, "--slots", SLOTS, "-o", plain], capsys)
    assert code == 0, err
    assert load_instance(plain).speaker_by_id["eloise-lefevre"].name == "Eloise Lefevre"
    # kept so, a spelling with more accents in the form is a correction, and wins, with
    # a note (the keynote accepted again)
    code, _, err = run(["import", v1, "--slots", SLOTS, "-o", plain, "--keep", plain], capsys)
    assert code == 0, err
    assert load_instance(plain).speaker_by_id["eloise-lefevre"].name == "Éloïse Lefèvre"
    assert (
        "speaker eloise-lefevre: named 'Éloïse Lefèvre', as the form now writes it too, no "
        "longer 'Eloise Lefevre' as in the kept instance (read as a correction: accents or "
        "capitals added): the calendars of the speaker's talks show the new name"
    ) in " ".join(err.split())
    # a name the form no longer writes gives way, with a note
    text = instance.read_text(encoding="utf-8").replace("name: Paul Henry", "name: Paul-Henry")
    instance.write_text(text, encoding="utf-8")
    code, _, err = run(["import", v2, *argv], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["paul-henry"].name == "Paul Henry"
    assert (
        "speaker paul-henry: named 'Paul Henry' as the form writes it now, no longer "
        "'Paul-Henry' as in the kept instance (the form no longer writes that): the calendars "
        "of the speaker's talks show the new name"
    ) in " ".join(err.split())


def test_reimport_says_when_a_kept_speaker_s_affiliation_changes_or_is_left_blank(tmp_path, capsys):
    # Karim Haddad's institute renamed in the form: the grid and his talks' calendars
    # showed the new affiliation without a word; left blank in the form, it was dropped
    instance = tmp_path / "commons.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["karim-haddad"].affiliation == (
        "Institut Énergie et Numérique"
    )
    argv = ["--slots", SLOTS, "-o", instance, "--keep", instance]
    renamed = _form_edited(
        tmp_path, "form-v2.csv", ("Frugalité", 4, "Karim Haddad (Institut Numérique Sobre)")
    )
    code, _, err = run(["import", renamed, *argv], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["karim-haddad"].affiliation == (
        "Institut Numérique Sobre"
    )
    assert (
        "speaker karim-haddad (Karim Haddad): affiliation 'Institut Numérique Sobre' as the "
        "form writes it now, no longer 'Institut Énergie et Numérique' as in the kept "
        "instance: the grid and the calendars of the speaker's talks show the new one"
    ) in " ".join(err.split())
    # the same affiliation written otherwise (case, accents) is no change
    recased = _form_edited(
        tmp_path, "form-v3.csv", ("Frugalité", 4, "Karim Haddad (INSTITUT NUMERIQUE SOBRE)")
    )
    code, _, err = run(["import", recased, *argv], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["karim-haddad"].affiliation == (
        "Institut Numérique Sobre"
    )
    assert "affiliation" not in err
    # left blank in the form (an affiliation added by hand, a column the export lost):
    # the kept one stays, with a note, at each re-import until deleted from the instance
    blank = _form_edited(tmp_path, "form-v4.csv", ("Frugalité", 4, "Karim Haddad"))
    for _ in range(2):
        code, _, err = run(["import", blank, *argv], capsys)
        assert code == 0, err
        assert load_instance(instance).speaker_by_id["karim-haddad"].affiliation == (
            "Institut Numérique Sobre"
        )
        assert (
            "speaker karim-haddad (Karim Haddad): kept the affiliation 'Institut Numérique "
            "Sobre' of the kept instance: the form gives the speaker none"
        ) in " ".join(err.split())
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    for speaker in data["speakers"]:
        if speaker["id"] == "karim-haddad":
            del speaker["affiliation"]
    instance.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, _, err = run(["import", blank, *argv], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["karim-haddad"].affiliation == ""
    assert "affiliation" not in err


def test_reimport_reads_availability_in_a_respelled_speaker_s_former_name(tmp_path, capsys):
    # "Karim Haddad" respelled "Karim Hadad" in the form, recognised as the same speaker;
    # the availability file, collected apart, still says "Karim HADDAD": it was refused,
    # nothing written
    instance = tmp_path / "commons.yaml"
    argv = ["--slots", SLOTS, "--availability", AVAIL, "-o", instance]
    code, _, err = run(["import", FORM, *argv], capsys)
    assert code == 0, err
    form = _form_edited(
        tmp_path, "form-v2.csv", ("Frugalité", 4, "Karim Hadad (Institut Énergie et Numérique)")
    )
    code, _, err = run(["import", form, *argv, "--keep", instance], capsys)
    assert code == 0, err
    karim = load_instance(instance).speaker_by_id["karim-haddad"]
    assert karim.name == "Karim Hadad"
    assert [(w.start.isoformat()[:16], w.end.isoformat()[:16]) for w in karim.preferred] == [
        ("2026-12-03T14:00", "2026-12-03T18:00")
    ]
    flat = " ".join(err.split())
    assert (
        "availability.csv: row 5: 'Karim HADDAD' names no presenter in the form but the kept "
        "instance's speaker karim-haddad (Karim Haddad), whom the form now spells 'Karim "
        "Hadad' and who keeps the id (the name's spelling fixed): read as that speaker's "
        "windows; write 'Karim Hadad' in the availability file"
    ) in flat
    # (the windows are the file's: the note on the respelling claims none carried over)
    assert "which the new spelling gives; check it" in flat
    # later re-imports too, by the id kept
    code, _, err = run(["import", form, *argv, "--keep", instance], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["karim-haddad"].preferred
    assert (
        "'Karim HADDAD' names no presenter in the form but the kept instance's speaker "
        "karim-haddad, whom the form now spells 'Karim Hadad'"
    ) in " ".join(err.split())


def test_reimport_ignores_availability_of_a_kept_speaker_gone_from_the_form(tmp_path, capsys):
    # Karim Haddad's keynote withdrawn (its row deleted from the form): the availability
    # file, collected apart, still has his row, which was a bad row and nothing written,
    # although the kept instance knew him
    first, second = tmp_path / "commons.yaml", tmp_path / "commons-v2.yaml"
    code, _, err = run(
        ["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", first], capsys
    )
    assert code == 0, err
    rows = list(csv.reader(FORM.open(encoding="utf-8")))
    withdrawn = [r for r in rows if not (r and r[2].startswith("Frugalité"))]
    form = write_csv(tmp_path / "form-v2.csv", withdrawn)

    def reimport(availability: Path, keep: Path) -> tuple[int, str]:
        argv = ["--slots", SLOTS, "--availability", availability, "-o", second, "--force"]
        code, _, err = run(["import", form, *argv, "--keep", keep], capsys)
        return code, " ".join(err.split())

    code, err = reimport(AVAIL, first)
    assert code == 0, err
    again = load_instance(second)
    assert "karim-haddad" not in again.speaker_by_id
    assert again.speaker_by_id["eloise-lefevre"].available  # the other rows are read
    assert (
        "availability.csv: row 5: 'Karim HADDAD' is the kept instance's speaker karim-haddad "
        "(Karim Haddad), no longer in the form (a proposal withdrawn, or its row deleted): "
        "no longer in the programme, so the row is ignored; delete it from the availability "
        "file (the instance written no longer has the speaker"
    ) in err
    # a name no speaker has, kept or not, is a bad row still
    avail = tmp_path / "availability-v2.csv"
    text = AVAIL.read_text(encoding="utf-8-sig")
    avail.write_text(text + "Inconnue Personne,02/12/2026,,,indisponible,\n", encoding="utf-8")
    code, err = reimport(avail, first)
    assert code == 2
    assert "no presenter named 'Inconnue Personne'" in err
    assert "no presenter named 'Karim HADDAD'" not in err
    # kept from the instance without him, or without --keep, nothing tells that he was a
    # speaker: a bad row, as the note said
    code, err = reimport(AVAIL, second)
    assert code == 2
    assert "no presenter named 'Karim HADDAD'" in err


def test_which_new_proposal_has_the_changed_presenters_is_not_guessed(tmp_path, capsys):
    # the duo's keynote split into one row per presenter, of the same title: either may
    # be the one given; nothing is carried over and the note says what was set
    instance, duo, slot, partner = _duo_set_by_hand(tmp_path, capsys)
    form = _represented_form(
        tmp_path,
        "form-v2.csv",
        "Jeanne Dupont (Université de Val-d'Orge)",
        "John Smith – ACME Labs",
    )
    argv = ["import", form, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert duo not in again.proposal_by_id
    new = [p for p in again.proposals if p.title == COMMONS]
    assert len(new) == 2 and all(p.pin is None and not p.themes for p in new)
    flat = " ".join(err.split())
    assert "no longer imported (not in the form" not in flat
    assert "of the same title and format, with presenters changed" in flat
    assert f"its pin to {slot} and its 'together' constraint with {partner}" in flat


PARVIS = "salle-parvis-1202-1000"  # Salle Parvis, 2 December, 10:00-11:00
ARCHE = "salle-arche-1203-1400"  # Salle Arche, 3 December, 14:00-15:30


def _moved_slots(tmp_path: Path, name: str, *changes: tuple[str, str], ids: bool = False) -> Path:
    """The fixture's slots file with lines replaced (`changes`: old line, new lines) and,
    with `ids`, an id column ('s1', 's2'... in the rows' order, before the changes)."""
    lines = SLOTS.read_text(encoding="utf-8-sig").splitlines()
    if ids:
        lines = [f"id;{lines[0]}"] + [f"s{n};{line}" for n, line in enumerate(lines[1:], 1)]
    text = "\n".join(lines) + "\n"
    for old, replacement in changes:
        assert old in text, old
        text = text.replace(old, replacement)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PARVIS_LATER = ("Salle Parvis;02/12/2026;10h;11h;40", "Salle Parvis;02/12/2026;10h30;11h30;40")


def test_a_moved_slot_keeps_its_calendar_event(tmp_path, capsys):
    # FOST moved Salle Parvis's slot of 2 December from 10h to 10h30: its id came from
    # its start, so its workshop was cancelled in every calendar and added again
    instance, published = _published(tmp_path, capsys)
    assert PARVIS in {w["slot"] for w in json.loads(published.read_text())["workshops"]}
    slots = _moved_slots(tmp_path, "slots-v2.csv", PARVIS_LATER)
    code, _, err = run(
        ["import", FORM, "--slots", slots, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    moved = load_instance(instance).slot_by_id[PARVIS]
    assert (moved.start.hour, moved.start.minute, moved.end.hour) == (10, 30, 11)
    assert "salle-parvis-1202-1030" not in load_instance(instance).slot_by_id
    assert (
        f"note: slot {PARVIS} (Salle Parvis, 2026-12-02) is now at 10:30–11:30, no longer "
        "10:00–11:00: read as the same slot moved (no other slot of its room near that time "
        "went or came), so it keeps its id (and its workshop its calendar event) rather than "
        "salle-parvis-1202-1030, which its new start gives; check it: if it is another "
        "slot, give it the id salle-parvis-1202-1030"
    ) in " ".join(err.split())
    solution = tmp_path / "s2.json"
    code, _, err = run([*RESOLVE, instance, "--reference", published, "-o", solution], capsys)
    assert code == 0, err
    argv = ["export", "ics", instance, solution, "--reference", published]
    code, out, err = run([*argv, "-o", tmp_path / "e2"], capsys)
    assert code == 0, err
    before, after = _uids(tmp_path / "e1"), _uids(tmp_path / "e2")
    assert set(after) == set(before)
    assert all(event.get("STATUS") != "CANCELLED" for event in after.values())
    event = after[f"commons/workshop/{PARVIS}@commons-scheduler"]
    assert event["DTSTART"] == "20261202T103000" and event["SEQUENCE"] == "1"
    assert "added" not in out and "0 cancelled since the reference" in out


def test_an_instance_named_json_is_written_as_json(tmp_path, capsys):
    # `-o commons.json` got YAML, which every later command then read as malformed JSON
    output = tmp_path / "commons.json"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", output], capsys)
    assert code == 0, err
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["name"] == "commons" and len(data["proposals"]) == 14
    assert len(load_instance(output).proposals) == 14
    code, _, err = run(["themes", output, "--apply"], capsys)
    assert code == 0, err
    assert all(p.themes for p in load_instance(output).proposals)


def test_a_room_renamed_is_named_by_its_old_name_in_the_moved_slots_notes(tmp_path, capsys):
    # every Salle Parvis slot given to a new Salle Agora: the notes named the old room by
    # its id ("salle-parvis, 2026-12-02 10:00–11:00"), the new instance having no name for it
    # (Salle Agora has a slot more: not Salle Parvis renamed, below)
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    renamed = tmp_path / "slots-v2.csv"
    text = SLOTS.read_text(encoding="utf-8-sig") + "Salle Agora;03/12/2026;9h;10h;\n"
    renamed.write_text(
        text.replace("Salle Parvis", "Salle Agora").replace("salle parvis", "Salle Agora"), "utf-8"
    )
    code, _, err = run(
        ["import", FORM, "--slots", renamed, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    flat = " ".join(err.split())
    assert f"slot {PARVIS} (Salle Parvis, 2026-12-02 10:00–11:00) is now in Salle Agora" in flat
    assert "(salle-parvis," not in flat


def test_a_slot_moved_to_another_room_keeps_its_id_and_is_a_new_calendar_event(tmp_path, capsys):
    # FOST gave Salle Parvis's slot of 2 December to Salle Foyer, at the same times: it
    # keeps its id (and what was set on it); its workshop, kept as the same calendar
    # event, stayed confirmed in Salle Parvis's calendar with Salle Foyer as LOCATION, so
    # it is a new event, the one in Salle Parvis cancelled (the note promised the event)
    instance, published = _published(tmp_path, capsys)
    foyer = ("Salle Parvis;02/12/2026;10h;11h;40", "Salle Foyer;02/12/2026;10h;11h;40")
    slots = _moved_slots(tmp_path, "slots-v2.csv", foyer)
    code, _, err = run(
        ["import", FORM, "--slots", slots, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    again = load_instance(instance)
    assert again.room_by_id[again.slot_by_id[PARVIS].room].name == "Salle Foyer"
    assert "salle-foyer-1202-1000" not in again.slot_by_id
    assert (
        f"note: slot {PARVIS} (Salle Parvis, 2026-12-02 10:00–11:00) is now in Salle Foyer: "
        "read as the same slot moved to another room (no other slot of that day at those "
        "times went or came), so it keeps its id, and what was set on it, rather than "
        "salle-foyer-1202-1000, which its new room gives (its workshop is a new calendar "
        "event all the same: the one in the room it left is cancelled); check it: if it is "
        "another slot, give it the id salle-foyer-1202-1000"
    ) in " ".join(err.split())
    assert "its calendar event)" not in err
    solution = tmp_path / "s2.json"
    code, _, err = run([*RESOLVE, instance, "--reference", published, "-o", solution], capsys)
    assert code == 0, err
    argv = ["export", "ics", instance, solution, "--reference", published]
    code, out, err = run([*argv, "-o", tmp_path / "e2"], capsys)
    assert code == 0, err
    old = f"commons/workshop/{PARVIS}@commons-scheduler"
    new = f"commons/workshop/{PARVIS}/2@commons-scheduler"
    before, after = _uids(tmp_path / "e1"), _uids(tmp_path / "e2")
    assert set(after) == set(before) | {new}
    assert [uid for uid, e in after.items() if e.get("STATUS") == "CANCELLED"] == [old]
    assert "Salle Parvis" in after[old]["LOCATION"] and after[old]["SEQUENCE"] == "1"
    assert "Salle Foyer" in after[new]["LOCATION"] and after[new]["STATUS"] == "CONFIRMED"
    # the rooms' calendars: the old one cancels it, the new one adds it
    rooms = {r.name: r.id for r in again.rooms}
    parvis = _events(tmp_path / "e2" / "rooms" / f"{rooms['Salle Parvis']}.ics")
    foyer_events = _events(tmp_path / "e2" / "rooms" / f"{rooms['Salle Foyer']}.ics")
    assert parvis[old]["STATUS"] == "CANCELLED" and new not in parvis
    assert foyer_events[new]["STATUS"] == "CONFIRMED" and old not in foyer_events
    # imported once more, the slot keeps the id, and nothing is said
    written = instance.read_text(encoding="utf-8")
    code, _, err = run(
        ["import", FORM, "--slots", slots, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0 and instance.read_text(encoding="utf-8") == written
    assert "moved" not in err


def test_a_room_renamed_keeps_its_id_and_its_workshops_their_calendar_events(tmp_path, capsys):
    # Salle Parvis renamed Salle du Parvis in the slots file: a new room id, new slot ids,
    # and every workshop there a new calendar event, the published ones cancelled
    instance, published = _published(tmp_path, capsys)
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    workshops = json.loads(published.read_text())["workshops"]
    pinned = next(w for w in workshops if w["slot"] == PARVIS)["items"][1]["proposal"]
    next(p for p in data["proposals"] if p["id"] == pinned)["pin"] = PARVIS
    instance.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    text = SLOTS.read_text(encoding="utf-8-sig")
    renamed = tmp_path / "slots-v2.csv"
    renamed.write_text(
        text.replace("Salle Parvis", "Salle du Parvis").replace("salle parvis", "Salle du Parvis"),
        "utf-8",
    )
    argv = ["import", FORM, "--slots", renamed, "--availability", AVAIL, "-o", instance]
    code, _, err = run([*argv, "--keep", instance], capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert again.room_by_id["salle-parvis"].name == "Salle du Parvis"
    assert "salle-du-parvis" not in again.room_by_id
    assert {s.id for s in again.slots} == {s["id"] for s in data["slots"]}
    assert again.proposal_by_id[pinned].pin == PARVIS
    flat = " ".join(err.split())
    assert (
        "room 'Salle du Parvis' has the slots of the kept instance's room salle-parvis "
        "('Salle Parvis'), no longer in the slots file, each at the same times (3 slots): "
        "read as that room renamed, so it keeps the id salle-parvis, and its slots theirs "
        "(their workshops stay the same calendar events, showing the new name), rather than "
        "salle-du-parvis, which its new name gives"
    ) in flat
    assert "is now in" not in flat
    solution = tmp_path / "s2.json"
    code, _, err = run([*RESOLVE, instance, "--reference", published, "-o", solution], capsys)
    assert code == 0, err
    code, out, err = run(
        ["export", "ics", instance, solution, "--reference", published, "-o", tmp_path / "e2"],
        capsys,
    )
    assert code == 0, err
    before, after = _uids(tmp_path / "e1"), _uids(tmp_path / "e2")
    assert set(after) == set(before)
    assert all(event.get("STATUS") != "CANCELLED" for event in after.values())
    assert any("Salle du Parvis" in e.get("LOCATION", "") for e in after.values())
    # imported once more, the room keeps the id, by its name, and nothing is said
    written = instance.read_text(encoding="utf-8")
    code, _, err = run([*argv, "--keep", instance], capsys)
    assert code == 0 and instance.read_text(encoding="utf-8") == written
    assert "room" not in err


def test_rooms_renamed_alike_are_not_guessed(tmp_path, capsys):
    # both rooms renamed, and two rooms of the very same slots: which is which cannot be told
    instance = tmp_path / "commons.yaml"
    alike = "\n".join(
        f"{room};0{day}/12/2026;14h;15h30;" for room in ("Salle A", "Salle B") for day in (1, 2)
    )
    slots = tmp_path / "slots.csv"
    slots.write_text(f"Salle;Date;Début;Fin;Jauge\n{alike}\n", "utf-8")
    run(["import", FORM, "--slots", slots, "-o", instance], capsys)
    slots.write_text(f"Salle;Date;Début;Fin;Jauge\n{alike.replace('Salle ', 'Amphi ')}\n", "utf-8")
    code, _, err = run(
        ["import", FORM, "--slots", slots, "-o", instance, "--keep", instance], capsys
    )
    assert code == 0, err
    assert {r.id for r in load_instance(instance).rooms} == {"amphi-a", "amphi-b"}
    assert "read as that room renamed" not in " ".join(err.split())


def test_slots_moved_between_rooms_at_one_time_are_not_guessed(tmp_path, capsys):
    # two slots of 14h-15h30 on 1 December gone, two come in other rooms at those times
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    swap = (
        "Salle Arche;01/12/2026;14h00;15h30;120\nSalle Parvis;01/12/2026;14h00;15h30;40",
        "Salle Foyer;01/12/2026;14h00;15h30;120\nSalle Seine;01/12/2026;14h00;15h30;40",
    )
    slots = _moved_slots(tmp_path, "slots-v2.csv", swap)
    argv = ["import", FORM, "--slots", slots, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert {"salle-foyer-1201-1400", "salle-seine-1201-1400"} <= set(again.slot_by_id)
    assert "moved where cannot be told" in " ".join(err.split())


def test_what_was_set_on_a_moved_slot_follows_it(tmp_path, capsys):
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", instance], capsys)
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    for slot in data["slots"]:
        if slot["id"] == PARVIS:
            slot.update(theme="materiality", language="en", frozen=True)
        if slot["id"] == ARCHE:
            slot["closed"] = True
    data["proposals"][0]["pin"] = PARVIS
    pinned = data["proposals"][0]["id"]
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    arche_later = ("Salle Arche;03/12/2026;14:00;15:30;", "Salle Arche;03/12/2026;14:30;16:00;")
    slots = _moved_slots(tmp_path, "slots-v2.csv", PARVIS_LATER, arche_later)
    output = tmp_path / "v2.yaml"
    argv = ["import", FORM, "--slots", slots, "-o", output, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(output)
    parvis, arche = again.slot_by_id[PARVIS], again.slot_by_id[ARCHE]
    assert (parvis.theme, parvis.language, parvis.frozen) == ("materiality", "en", True)
    assert arche.closed and (arche.start.hour, arche.start.minute) == (14, 30)
    assert again.proposal_by_id[pinned].pin == PARVIS
    flat = " ".join(err.split())
    assert (
        "which its new start gives; carried over its theme (materiality), its language (en), "
        f"its freezing (frozen) and the pin to it of {pinned}; check it: if it is another "
        "slot, give it the id salle-parvis-1202-1030 and take off what was carried over"
    ) in flat
    assert (
        f"slot {ARCHE} (Salle Arche, 2026-12-03) is now at 14:30–16:00, no longer 14:00–15:30"
    ) in flat
    assert (
        "rather than salle-arche-1203-1430, which its new start gives; carried over its "
        "closing; check it"
    ) in flat
    assert "dropped its pin" not in flat
    # Later FOST adds a slot at 10h in Salle Parvis, which its start names PARVIS: the
    # moved slot keeps PARVIS (and its pin), the new one is told apart
    earlier = (PARVIS_LATER[1], "Salle Parvis;02/12/2026;10h;10h30;40\n" + PARVIS_LATER[1])
    slots = _moved_slots(tmp_path, "slots-v3.csv", PARVIS_LATER, arche_later, earlier)
    argv = ["import", FORM, "--slots", slots, "-o", output, "--keep", output]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    third = load_instance(output)
    assert third.slot_by_id[PARVIS].start.minute == 30 and third.slot_by_id[PARVIS].frozen
    assert third.proposal_by_id[pinned].pin == PARVIS
    extra = third.slot_by_id[f"{PARVIS}-2"]
    assert (extra.start.minute, extra.frozen, extra.theme) == (0, False, None)
    assert (
        f"note: slot {PARVIS}-2 (Salle Parvis, 2026-12-02 10:00–10:30) is new, and its room "
        f"and start give {PARVIS}, the id that the slot of 10:30–11:30 kept when it moved: "
        f"it gets {PARVIS}-2 instead"
    ) in " ".join(err.split())
    written = output.read_text(encoding="utf-8")
    code, _, err = run(argv, capsys)  # and again: the same ids, nothing to say
    assert code == 0 and output.read_text(encoding="utf-8") == written
    assert "moved" not in err and "is new" not in err


def test_which_slot_moved_where_is_not_guessed(tmp_path, capsys):
    # Salle Parvis's slot of 10h-11h split into two: neither takes its id or its closing
    instance = tmp_path / "commons.yaml"
    run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    next(s for s in data["slots"] if s["id"] == PARVIS)["closed"] = True
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    split = (
        PARVIS_LATER[0],
        "Salle Parvis;02/12/2026;10h15;10h45;40\nSalle Parvis;02/12/2026;10h45;11h30;40",
    )
    slots = _moved_slots(tmp_path, "slots-v2.csv", split)
    argv = ["import", FORM, "--slots", slots, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert PARVIS not in again.slot_by_id
    new = [again.slot_by_id[f"salle-parvis-1202-{t}"] for t in ("1015", "1045")]
    assert not any(s.closed for s in new)
    assert (
        f"note: slot {PARVIS} (Salle Parvis, 2026-12-02 10:00–11:00) is no longer in the "
        "slots file and salle-parvis-1202-1015 (Salle Parvis, 2026-12-02 10:15–10:45) and "
        "salle-parvis-1202-1045 (Salle Parvis, 2026-12-02 10:45–11:30) are new there: which "
        "moved where cannot be told, so the new ones keep theirs (a workshop's calendar "
        f"event goes by it) and nothing was carried over of what was set on {PARVIS}: "
        "closed; set it again by hand"
    ) in " ".join(err.split())


def test_a_slots_file_with_ids_is_spared_the_moved_slots(tmp_path, capsys):
    # its ids are its own: a slot moved keeps its id there, and a new id is a new slot
    slots = _moved_slots(tmp_path, "slots-ids.csv", ids=True)
    instance = tmp_path / "commons.yaml"
    code, _, err = run(["import", FORM, "--slots", slots, "-o", instance], capsys)
    assert code == 0, err
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    assert [s["id"] for s in data["slots"]] == [f"s{n}" for n in range(1, 7)]
    for slot in data["slots"]:
        slot["closed"] = slot["id"] in ("s3", "s4")
    instance.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    # s4 (Salle Parvis, 10h) moved to 10h30 as s4b; s3 (Salle Arche, 9h30) to 10h, as s3
    arche_later = ("s3;Salle Arche;02/12/2026;9h30;11h30", "s3;Salle Arche;02/12/2026;10h;12h")
    parvis = (f"s4;{PARVIS_LATER[0]}", f"s4b;{PARVIS_LATER[1]}")
    slots = _moved_slots(tmp_path, "slots-ids-v2.csv", arche_later, parvis, ids=True)
    argv = ["import", FORM, "--slots", slots, "-o", instance, "--keep", instance]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    again = load_instance(instance)
    assert "s4" not in again.slot_by_id and not again.slot_by_id["s4b"].closed
    assert again.slot_by_id["s3"].closed and again.slot_by_id["s3"].start.hour == 10
    assert "moved" not in err and "slots file" not in err


def test_row_numbers_count_blank_lines_like_a_spreadsheet(tmp_path):
    form = tmp_path / "form.csv"
    form.write_text(
        "Titre,Format,Intervenant,Langue\n"
        'A,keynote,Ana Lima,FR\n\n"B\non two lines",keynote,Ben Roy,FR\nC,Talk,Cy Bo,FR\n',
        encoding="utf-8",
    )
    with pytest.raises(BadRowsError) as info:
        import_form(form, SLOTS)
    assert [(p.row, p.column) for p in info.value.problems] == [(5, "Format")]


# -- tables changed at random -------------------------------------------------------

# what people (and spreadsheets) put in a cell where something else is expected
ODD_CELLS = [
    "", " ", "x", "0", "-1", "1e9", "N/A", "—", "25h", "14h75", "31/02/2026", "2026-13-01",
    "01/12/2026", "9h", "18:00", "Keynote", "initiative", "FR/EN", "EN", "de", "Accepté",
    "Refusé", "disponible", "indisponible", "préféré", "A, B, C", "Jeanne Dupont",
    "=SUM(A1:A2)", "x" * 1600, "Salle Arche", "Mardi 1er décembre",
]  # fmt: skip


def _read_rows(path: Path) -> tuple[list[list[str]], str, str]:
    """A table's rows as text, with its delimiter and encoding (to write it back alike)."""
    text = path.read_text(encoding="utf-8-sig")
    delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;").delimiter
    return list(csv.reader(text.splitlines(keepends=True), delimiter=delimiter)), delimiter, text


def _changed_table(path: Path, target: Path, draw) -> list[tuple]:
    """`path`'s table with one to three changes written to `target` (`draw` is
    hypothesis's): a cell replaced, a row removed or repeated; the changes."""
    rows, delimiter, _ = _read_rows(path)
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        change = draw(st.sampled_from(["cell", "cell", "delete", "repeat"]))
        if change == "delete" and len(rows) > 1:
            del rows[row]
        elif change == "repeat":
            rows.append(list(rows[row]))
        elif rows[row]:
            column = draw(st.integers(0, len(rows[row]) - 1))
            rows[row][column] = draw(st.sampled_from(ODD_CELLS))
        changes.append((change, row))
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return changes


@settings(
    max_examples=int(os.environ.get("IMPORT_EXAMPLES", "150")),
    deadline=None,
    # (capsys is read, and so emptied, by every run)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_a_changed_table_is_bad_input_or_imports_an_instance_that_loads(
    tmp_path_factory, capsys, data
):
    # the form, the slots or the availability with a few cells, rows changed: `import`
    # exits 2 naming the file (and writes nothing), or writes an instance that loads and
    # whose first-fit schedule the validator accepts; never a traceback
    folder = tmp_path_factory.mktemp("import")
    tables = {"form": FORM, "slots": SLOTS, "availability": AVAIL}
    which = data.draw(st.sampled_from(sorted(tables)))
    changed = folder / f"{which}.csv"
    changes = _changed_table(tables[which], changed, data.draw)
    tables[which] = changed
    out = folder / "instance.yaml"
    argv = ["import", tables["form"], "--slots", tables["slots"]]
    code, _, err = run([*argv, "--availability", tables["availability"], "-o", out], capsys)
    assert "Traceback" not in err
    event(f"{which}: exit {code}")
    if code == 2:
        assert not out.exists()
        assert str(changed) in err or any(str(t) in err for t in tables.values()), err
        return
    assert code == 0, (changes, err)
    instance = load_instance(out)
    solution = greedy_solution(instance, "sha256:x", candidate_table(instance))
    assert validate(instance, solution).ok, changes


def test_a_row_longer_than_the_header(tmp_path, capsys):
    # extra cells made pandas read the first ones as an index: every column shifted,
    # and the error said 'Statut' was empty in every row
    rows = list(csv.reader((DATA / "form.csv").open(encoding="utf-8", newline="")))
    padded, filled, later = (tmp_path / f"{n}.csv" for n in ("padded", "filled", "later"))
    with padded.open("w", encoding="utf-8", newline="") as out:
        # (on a later row only too: pandas refused those, "Expected 9 fields in line 4")
        csv.writer(out).writerows([rows[0], rows[1] + ["", ""], *rows[2:]])
    with later.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([rows[0], rows[1], rows[2], rows[3] + [""], *rows[4:]])
    with filled.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([rows[0], rows[1] + ["", "", "oops"], *rows[2:]])
    slots = ["--slots", str(DATA / "slots.csv")]
    code, _, err = run(["import", str(padded), *slots, "-o", str(tmp_path / "a.yaml")], capsys)
    assert code == 0, err
    code, _, err = run(["import", str(later), *slots, "-o", str(tmp_path / "d.yaml")], capsys)
    assert code == 0, err
    plain = run(["import", str(DATA / "form.csv"), *slots, "-o", str(tmp_path / "b.yaml")], capsys)
    assert plain[0] == 0
    padded_data, plain_data = (
        yaml.safe_load((tmp_path / name).read_text(encoding="utf-8"))
        for name in ("a.yaml", "b.yaml")
    )
    later_data = yaml.safe_load((tmp_path / "d.yaml").read_text(encoding="utf-8"))
    for section in ("proposals", "speakers", "slots"):
        assert padded_data[section] == plain_data[section] == later_data[section]
    code, _, err = run(["import", str(filled), *slots, "-o", str(tmp_path / "c.yaml")], capsys)
    flat = " ".join(err.split())
    assert code == 2 and "filled.csv, row 2" in flat
    assert f"{len(rows[0]) + 3} cells where the header has {len(rows[0])}" in flat
    assert "'oops' is past the last column" in flat and not (tmp_path / "c.yaml").exists()


def test_a_name_read_last_name_first_on_a_guess_is_noted(tmp_path, capsys):
    # 'Dupont, Jeanne (CNRS)' is Jeanne Dupont, but 'Pouhiou, Framasoft (Paris)' reads
    # the same way, as Framasoft Pouhiou: the coordinator is told, with the way out
    rows = list(csv.reader((DATA / "form.csv").open(encoding="utf-8", newline="")))
    column = rows[0].index(next(h for h in rows[0] if h.startswith("Nom(s)")))
    rows[1][column] = "Pouhiou, Framasoft (Paris)"
    rows[2][column] = "DUPONT, Jeanne (CNRS)"  # (in capitals: no guess, no note)
    form = write_csv(tmp_path / "form.csv", [r for r in rows if r])
    target = tmp_path / "a.yaml"
    code, _, err = run(
        ["import", str(form), "--slots", str(DATA / "slots.csv"), "-o", str(target)], capsys
    )
    assert code == 0, err
    flat = " ".join(err.split())
    assert (
        f"form.csv: row 2, column '{rows[0][column]}': read 'Pouhiou, Framasoft (Paris)' as "
        "Framasoft Pouhiou of Paris, last name first; if Framasoft is an organisation, "
        "write 'Pouhiou (Framasoft, Paris)'"
    ) in flat
    assert flat.count("last name first;") == 1
    speakers = {s["name"]: s["affiliation"] for s in yaml.safe_load(target.read_text())["speakers"]}
    assert speakers["Framasoft Pouhiou"] == "Paris" and speakers["Jeanne Dupont"] == "CNRS"


def test_rows_shorter_than_the_header_are_read_with_a_note(tmp_path, capsys):
    # a hand-written file may leave out trailing empty cells: read as blank, as before,
    # but named, since a row cut short by a line break left unquoted reads the same way
    rows = list(csv.reader((DATA / "form.csv").open(encoding="utf-8", newline="")))
    assert rows[0][-2:] == ["Pour les keynotes : format participatif envisagé", "Statut"]
    swapped = [[*row[:-2], *row[-2:][::-1]] for row in rows if row]  # (the format last)
    assert swapped[2][-1] == ""  # an initiative: no participatory format
    full = write_csv(tmp_path / "full.csv", swapped)
    trimmed = write_csv(tmp_path / "trimmed.csv", [*swapped[:2], swapped[2][:-1], *swapped[3:]])
    slots = ["--slots", str(DATA / "slots.csv")]
    code, _, err = run(["import", str(trimmed), *slots, "-o", str(tmp_path / "a.yaml")], capsys)
    flat = " ".join(err.split())
    assert code == 0, err
    assert f"trimmed.csv: 1 row (3) has fewer cells than the header ({len(rows[0])})" in flat
    plain = run(["import", str(full), *slots, "-o", str(tmp_path / "b.yaml")], capsys)
    assert plain[0] == 0 and "fewer cells" not in plain[2]
    trimmed_data, plain_data = (
        yaml.safe_load((tmp_path / name).read_text(encoding="utf-8"))
        for name in ("a.yaml", "b.yaml")
    )
    assert trimmed_data["proposals"] == plain_data["proposals"]


def test_times_written_as_fractions_of_a_day_are_read(tmp_path):
    # a time cell formatted 'General' holds 0.583333 (14:00): "cannot read
    # '0.5833333333333334' as a time of day", though the docs said it was read
    rows = list(csv.reader(SLOTS.open(encoding="utf-8-sig", newline=""), delimiter=";"))
    header, body = rows[0], [r for r in rows[1:] if r]
    start, end = header.index("Début"), header.index("Fin")

    def fraction(text: str) -> float:
        moment = read_time(text)
        return (moment.hour * 60 + moment.minute) / (24 * 60)

    for row in body:
        row[start], row[end] = fraction(row[start]), fraction(row[end])
    workbook = tmp_path / "slots.xlsx"
    pd.DataFrame(body, columns=header).to_excel(workbook, index=False)
    options = ImportOptions(name="x")
    fractions = import_form(FORM, workbook, options=options).data["slots"]
    assert fractions == import_form(FORM, SLOTS, options=options).data["slots"]


def test_a_retitled_proposal_s_group_is_said_without_its_members_gone():
    # A retitled (A2), B withdrawn, C kept: the note said "constraint with B, C" where the
    # group written is [A2, C]
    from scheduler.importer import _constraints_naming

    groups = {"together": [{"proposals": ["A", "B", "C"]}]}
    assert _constraints_naming("A", groups, {"A": "A2"}, {"A2": {}, "C": {}}) == [
        "its 'together' constraint with C (without B, no longer imported)"
    ]


def test_keep_carries_the_organiser_over(tmp_path, capsys):
    # event.organizer, added by hand (no option sets it), went with `import --keep`, and
    # the calendars' ORGANIZER with it, without a word
    output = tmp_path / "commons.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", output], capsys)
    assert code == 0, err
    text = output.read_text(encoding="utf-8")
    organizer = "  organizer: {name: Programme, email: programme@commons-ai.example}\n"
    output.write_text(text.replace("event:\n", "event:\n" + organizer, 1), encoding="utf-8")
    assert load_instance(output).event.organizer.email == "programme@commons-ai.example"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", output, "--keep", output], capsys)
    assert code == 0, err
    kept = load_instance(output).event.organizer
    assert kept is not None and (kept.name, kept.email) == (
        "Programme",
        "programme@commons-ai.example",
    )


def _kept_with(tmp_path, capsys, rules: str = "", event: str = "") -> Path:
    """An instance imported from the test form, `rules:` and `event:` lines added."""
    kept = tmp_path / "kept.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", kept, "--force"], capsys)
    assert code == 0, err
    text = kept.read_text(encoding="utf-8").replace("event:\n", "event:\n" + event, 1)
    kept.write_text(text + rules, encoding="utf-8")
    load_instance(kept)
    return kept


def test_the_kept_instances_call_limits_are_the_imports(tmp_path, capsys):
    # the importer checked presenters and abstracts against the Commons AI call's 2 and
    # 1500 whatever rules.max_speakers and rules.abstract_max_characters said; its
    # message read "the summary" for the column named 'Abstract'
    form = tmp_path / "form.csv"
    form.write_text(
        "Title,Format,Speakers,Language,Abstract\n"
        f"Open data,Keynote,Ana Lima; John Smith; Inès Morel,EN,{'x' * 1600}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out], capsys)
    flat = " ".join(err.split())
    assert code == 2 and not out.exists()
    assert "rules.max_speakers allows at most 2" in flat
    assert (
        "raise rules.max_speakers: import with --skip-bad-rows, add rules: {max_speakers: 3} "
        "to the instance written, then import again with --keep naming it" in flat
    )
    assert (
        "'Abstract' has 1600 characters, rules.abstract_max_characters allows 1500: shorten it "
        "by 100, or if the event's call allows it, raise rules.abstract_max_characters" in flat
    )
    assert "summary" not in flat
    kept = _kept_with(tmp_path, capsys, "rules: {max_speakers: 2, abstract_max_characters: 1550}\n")
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out, "--keep", kept], capsys)
    flat = " ".join(err.split())
    assert code == 2
    assert "allows 1550: shorten it by 50, or if the event's call allows it, raise " in flat
    assert "rules.abstract_max_characters in kept.yaml (rules: {abstract_max_characters:" in flat
    kept = _kept_with(tmp_path, capsys, "rules: {max_speakers: 3, abstract_max_characters: 2000}\n")
    code, _, err = run(["import", form, "--slots", SLOTS, "-o", out, "--keep", kept], capsys)
    assert code == 0, err
    (proposal,) = load_instance(out).proposals
    assert len(proposal.speakers) == 3


def test_a_first_import_raises_the_call_limits_the_way_its_message_says(tmp_path, capsys):
    # the message said "raise rules.max_speakers ... in an instance given with --keep",
    # which a first import has not, and a file of the rules alone is refused ("field
    # 'name': field required"): the steps it gives now work as written
    form = tmp_path / "form.csv"
    form.write_text(
        "Title,Format,Speakers,Language\n"
        "Open data,Keynote,Ana Lima; John Smith; Inès Morel,EN\n"
        "Communs,Keynote,Jeanne Dupont,FR\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    argv = ["import", form, "--slots", SLOTS, "-o", out]
    code, _, err = run([*argv, "--skip-bad-rows"], capsys)
    assert code == 0 and "add rules: {max_speakers: 3} to the instance written" in err
    out.write_text(out.read_text(encoding="utf-8") + "rules: {max_speakers: 3}\n", "utf-8")
    code, _, err = run([*argv, "--keep", out], capsys)
    assert code == 0, err
    assert sorted(len(p.speakers) for p in load_instance(out).proposals) == [1, 3]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_default_timezone_is_noted_as_the_title_and_venue_are(tmp_path, capsys, lang):
    # an event outside Paris got Paris times in every calendar: import defaulted
    # --timezone without a word, where the defaulted title and venue are noted
    out = tmp_path / "out.yaml"
    argv = ["import", FORM, "--slots", SLOTS, "-o", out, "--lang", lang]
    code, _, err = run(argv, capsys)
    flat = " ".join(err.split())
    assert code == 0, err
    said = {
        "en": "note: event: the timezone 'Europe/Paris' (no --timezone): every calendar",
        "fr": "note\u00a0: événement\u00a0: le fuseau horaire «\u00a0Europe/Paris\u00a0» (pas de "
        "--timezone)\u00a0: chaque calendrier",
    }
    assert " ".join(said[lang].split()) in flat
    code, _, err = run([*argv, "--force", "--timezone", "Europe/London"], capsys)
    assert code == 0 and "--timezone)" not in err
    assert load_instance(out).event.timezone == "Europe/London"
    # a kept instance's timezone is no default
    code, _, err = run([*argv, "--keep", out], capsys)
    assert code == 0 and "--timezone)" not in err


def test_a_us_slots_sheet_whose_day_first_reading_spans_weeks_is_refused(tmp_path, capsys):
    # 06/10/2027 (10 June, month first) was read as 6 October, 06/11/2027 as 6 November:
    # an event over a month, written with exit 0 and notes alone
    slots = tmp_path / "slots.csv"
    slots.write_text(
        "Room,Date,Start,End\nRhône,06/10/2027,09:30,11:00\nRhône,06/11/2027,09:30,11:00\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", slots, "-o", out], capsys)
    assert code == 2 and not out.exists() and "Traceback" not in err
    assert (
        "column 'Date': 06/10/2027 is read as 2027-10-06 (day first); month first, as US "
        "sheets write dates, it is 2027-06-10; read day first its dates span "
        "2027-10-06..2027-11-06 (32 days), month first 2027-06-10..2027-06-11 (2 days): the "
        "sheet likely writes the month first; write its dates year first (2027-06-10) and "
        "import it again, or, if the event does span 2027-10-06..2027-11-06, pass --days "
        "2027-10-06 2027-11-06"
    ) in " ".join(err.split())
    # --days says the event's days: the day-first reading is then the sheet's
    days = ["--days", "2027-10-06", "2027-11-06"]
    code, _, err = run(["import", FORM, "--slots", slots, "-o", out, *days], capsys)
    assert code == 0, err
    assert [s.start.date() for s in load_instance(out).slots] == [
        date(2027, 10, 6),
        date(2027, 11, 6),
    ]
    # day first within a week, month first too: read day first, as before
    slots.write_text(
        "Room,Date,Start,End\nRhône,01/12/2027,09:30,11:00\nRhône,03/12/2027,09:30,11:00\n",
        encoding="utf-8",
    )
    code, _, err = run(["import", FORM, "--slots", slots, "-o", out, "--force"], capsys)
    assert code == 0, err


def test_the_call_themes_by_default_are_said_in_the_notes_and_the_files_head(tmp_path, capsys):
    # another event's import got Commons AI's six themes with a note lost among the
    # others, and nothing in the file written said whose they were
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out], capsys)
    assert code == 0, err
    assert "are that event's themes, not another's: for another event, import again" in (
        " ".join(err.split())
    )
    head = out.read_text(encoding="utf-8").splitlines()[:4]
    assert head[1:] == [
        "# Themes: the six of the Commons AI 2026 call (no --themes), that event's",
        "# themes, not another's: for another event, import again with --themes FILE",
        "# (its own) before `scheduler themes --apply` puts these on its proposals.",
    ]
    # the head is the import's own: a re-import says no comment of it is lost, and
    # keeps the themes without it
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--keep", out], capsys)
    assert code == 0 and "comment" not in err and "Commons AI" not in err
    assert "Commons AI" not in out.read_text(encoding="utf-8").split("name:")[0]
    # the event's own themes: neither
    themes = tmp_path / "themes.yaml"
    themes.write_text("- id: open\n  label: Open data\n", encoding="utf-8")
    code, _, err = run(
        ["import", FORM, "--slots", SLOTS, "-o", out, "--force", "--themes", themes], capsys
    )
    assert code == 0 and "Commons AI" not in err
    assert "Commons AI" not in out.read_text(encoding="utf-8").split("name:")[0]


def test_keep_carries_the_events_language_over(tmp_path, capsys):
    # event.language (the exports' labels) went with `import --keep`, as organizer did
    kept = _kept_with(tmp_path, capsys, event="  language: en\n")
    out = tmp_path / "out.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", out, "--keep", kept], capsys)
    assert code == 0, err
    assert load_instance(out).event.language == "en"


# -- e-mail addresses (BIG-11) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Adresse e-mail", "email"),
        ("E-mail", "email"),
        ("Courriel", "email"),
        ("Email address", "email"),
        ("Adresse électronique", "email"),
        ("Adresse mail", "email"),
        ("Mail", "email"),
        ("E-mail de l'intervenant·e 1", "speaker1_email"),
        ("Courriel intervenant 2", "speaker2_email"),
        ("Speaker 2 email", "speaker2_email"),
        ("E-mail du co-intervenant", "speaker2_email"),
        ("E-mail des autres intervenant·es", "speaker2_email"),
        # someone else's: recognised, not read
        ("Owner Email", "email_other"),
        ("E-mail de la personne à contacter", "email_other"),
    ],
)
def test_e_mail_headers(header, field):
    assert form_field(header) == field


def test_the_form_s_e_mail_addresses_are_kept_for_diff(tmp_path):
    # `diff`'s paragraphs are pasted into e-mails, but the form's address column was
    # "recognised, not used": a coordinator matched 30 names to addresses by hand
    form = write_csv(
        tmp_path / "form.csv",
        [
            ["Adresse e-mail", "Titre", "Format", "Intervenant·es", "Langue"],
            ["ana@lab-a.example", "Open data", "keynote", "Ana Lima (Lab A)", "FR"],
            # one address a row, the respondent's: the presenter it names, else the first
            ["ben.roy@lab-b.example", "Frugal AI", "keynote", "Chen Wei; Ben Roy (Lab B)", "EN"],
            ["contact@lab-d.example", "Data", "keynote", "Dan Okoro; Eva Sy", "EN"],
            # one per presenter, in order; 'Name <address>' and 'mailto:' read
            [
                "Fay Lo <fay@f.example>; mailto:gil@g.example",
                "Trust",
                "keynote",
                "Fay Lo; Gil Ba",
                "FR",
            ],  # fmt: skip
            # not an address: a note, and none (an address never stops a proposal)
            ["hana@gmail", "Models", "keynote", "Hana Ito", "FR"],
            ["'sam.o'neil@forge.example'", "Bots", "keynote", "Sam O'Neil", "EN"],
            # the note quotes the cell, not 'a@b', a text not in the sheet
            ["a@b@c.example", "Agents", "keynote", "Tomás Ruiz", "FR"],
        ],
    )
    result = import_form(form, SLOTS, options=ImportOptions(name="x"))
    emails = {s.id: s.email for s in result.instance.speakers}
    assert emails == {
        "ana-lima": "ana@lab-a.example",
        "chen-wei": None,
        "ben-roy": "ben.roy@lab-b.example",
        "dan-okoro": "contact@lab-d.example",
        "eva-sy": None,
        "fay-lo": "fay@f.example",
        "gil-ba": "gil@g.example",
        "hana-ito": None,
        "sam-o-neil": "sam.o'neil@forge.example",
        "tomas-ruiz": None,
    }
    assert "Models" in [p.title for p in result.instance.proposals]
    flat = " ".join(" ".join(result.notes).split())
    assert (
        "speaker hana-ito (Hana Ito): no e-mail address from form.csv: row 6, column 'Adresse "
        "e-mail': 'hana@gmail' is not an e-mail address; correct it in the form"
    ) in flat
    assert (
        "speaker tomas-ruiz (Tomás Ruiz): no e-mail address from form.csv: row 8, column "
        "'Adresse e-mail': 'a@b@c.example' is not an e-mail address"
    ) in flat
    assert "'a@b'" not in flat
    # (Hana Ito and Tomás Ruiz are not counted again: their own notes say why)
    assert (
        "form.csv: 2 speakers without an e-mail address (Chen Wei, Eva Sy): 'Adresse e-mail' "
        "gave none for them"
    ) in flat
    written = tmp_path / "x.yaml"
    write_instance(result, written, {"form": form, "slots": SLOTS})
    assert "email: ana@lab-a.example" in written.read_text(encoding="utf-8")
    assert load_instance(written).speaker_by_id["ana-lima"].email == "ana@lab-a.example"


def test_numbered_e_mail_columns_are_each_presenter_s(tmp_path):
    # Google Forms' 'Nom, Affiliation, E-mail' asked twice: presenters 1 and 2
    rows = [
        "Titre|Format|Nom|Affiliation|E-mail|Nom|Affiliation|E-mail|Langue|Owner Email",
        "Open data|keynote|Ana Lima|Lab A|ana@a.example|Ben Roy|Lab B|ben@b.example|FR|o@o.example",
        # an address of no presenter: noted
        "Frugal AI|keynote|Chen Wei|Lab C||||x@x.example|EN|o@o.example",
        # two addresses for one presenter: whose is whose cannot be told
        "Trust|keynote|Dan Okoro||dan@d.example, eva@e.example||||EN|",
    ]
    form = write_csv(tmp_path / "form.csv", [row.split("|") for row in rows])
    result = import_form(form, SLOTS, options=ImportOptions(name="x"))
    assert [(s.id, s.email) for s in result.instance.speakers] == [
        ("ana-lima", "ana@a.example"),
        ("ben-roy", "ben@b.example"),
        ("chen-wei", None),
        ("dan-okoro", None),
    ]
    flat = " ".join(" ".join(result.notes).split())
    assert (
        "speaker dan-okoro (Dan Okoro): no e-mail address from form.csv: row 4, column "
        "'E-mail': 2 addresses for 1 presenter: whose is whose cannot be told"
    ) in flat
    assert "row 3, column 'E-mail (2)': 'x@x.example' is the address of no presenter" in flat
    assert "o@o.example" not in flat + str(result.data)
    # a column of the coordinators' ('Mail envoyé': oui) holds no address: one note
    rows = ["Titre|Format|Intervenant·es|Langue|Mail envoyé", "Open data|keynote|Ana Lima|FR|oui"]
    form = write_csv(tmp_path / "form.csv", [row.split("|") for row in rows])
    result = import_form(form, SLOTS, options=ImportOptions(name="x"))
    assert [n for n in result.notes if "Mail" in n] == [
        "form.csv: column 'Mail envoyé' holds no e-mail address in any row: ignored"
    ]


def test_reimport_keeps_e_mail_addresses_and_says_when_one_changes(tmp_path, capsys):
    instance = tmp_path / "commons.yaml"
    code, out, err = run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    assert code == 0, err
    assert "11 speakers (10 with an e-mail address), 2 rooms" in out
    assert load_instance(instance).speaker_by_id["jeanne-dupont"].email == (
        "j.dupont@val-dorge.example"
    )
    argv = ["--slots", SLOTS, "-o", instance, "--keep", instance]
    # the form gives another: it wins, with a note
    changed = _form_edited(tmp_path, "form-v2.csv", ("Communs numériques", 1, "jd@new.example"))
    code, _, err = run(["import", changed, *argv], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["jeanne-dupont"].email == "jd@new.example"
    assert (
        "speaker jeanne-dupont (Jeanne Dupont): e-mail 'jd@new.example' as the form gives it "
        "now, no longer 'j.dupont@val-dorge.example' as in the kept instance"
    ) in " ".join(err.split())
    # an address written in the instance by hand, the form giving none: kept
    data = yaml.safe_load(instance.read_text(encoding="utf-8"))
    for speaker in data["speakers"]:
        if speaker["id"] == "john-smith":
            speaker["email"] = "john@acme.example"
    instance.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, _, err = run(["import", changed, *argv], capsys)
    assert code == 0, err
    assert load_instance(instance).speaker_by_id["john-smith"].email == "john@acme.example"
    assert (
        "kept the e-mail address of 1 speaker from the kept instance, the form giving them "
        "none (john-smith)"
    ) in " ".join(err.split())
    # a speaker whose name's spelling the form fixed keeps his too, under his kept id
    respelled = _form_edited(
        tmp_path,
        "form-v3.csv",
        ("Frugalité", 1, ""),
        ("Frugalité", 4, "Karim Hadad (Institut Énergie et Numérique)"),
    )
    code, _, err = run(["import", respelled, *argv], capsys)
    assert code == 0, err
    kept = load_instance(instance).speaker_by_id["karim-haddad"]
    assert (kept.name, kept.email) == ("Karim Hadad", "k.haddad@ien.example")


def test_an_availability_name_written_with_the_speaker_s_affiliation_is_hers(tmp_path):
    # the form's own 'Name (Affiliation)', copied into the availability sheet, was "no
    # presenter named 'Nadia Garnier (Hugging Face)'", without a suggestion (BIG-14)
    avail = unavailable_all_day(
        tmp_path / "avail.csv",
        ("Karim Haddad (Institut Énergie et Numérique)", "2026-12-01"),
        ("JEANNE DUPONT (universite de val d'orge)", "2026-12-02"),
    )
    instance = import_form(FORM, SLOTS, avail, options=ImportOptions(name="x")).instance
    assert [w.start.day for w in instance.speaker_by_id["karim-haddad"].unavailable] == [1]
    assert [w.start.day for w in instance.speaker_by_id["jeanne-dupont"].unavailable] == [2]
    # a bracket that is not her affiliation is no guess: a bad row naming her
    avail = unavailable_all_day(
        tmp_path / "avail.csv",
        ("Karim Haddad (IEN)", "2026-12-01"),
        ("Marc Lenoir (Recettes SAS)", "2026-12-01"),  # (not accepted: ignored, as bare)
        ("Karim Hadad (Institut Énergie et Numérique)", "2026-12-01"),
        ("Tomás Ruiz (dispo le matin)", "2026-12-01"),
    )
    with pytest.raises(BadRowsError) as info:
        import_form(FORM, SLOTS, avail)
    messages = [p.message for p in info.value.problems]
    unknown = "no presenter named {!r} in the imported proposals; the form has "
    meant = ": if that is the speaker meant, write the name as the form does"
    assert messages == [
        unknown.format("Karim Haddad (IEN)") + "Karim Haddad (karim-haddad), the name before "
        "the brackets, whose affiliation the form gives as 'Institut Énergie et Numérique', "
        "not 'IEN'" + meant,
        unknown.format("Karim Hadad (Institut Énergie et Numérique)") + "Karim Haddad "
        "(karim-haddad), spelt nearly alike" + meant,
        unknown.format("Tomás Ruiz (dispo le matin)") + "Tomás Ruiz (tomas-ruiz), the name "
        "before the brackets, whose affiliation the form gives as 'Compute Commons Coop', "
        "not 'dispo le matin'" + meant,
    ]


def test_addresses_beside_the_presenters_names_are_theirs(tmp_path):
    # 'Intervenant·es (nom, affiliation, e-mail)': the addresses were dropped with the names
    rows = [
        "Titre|Format|Intervenant·es (nom, affiliation, e-mail)|Langue",
        "Open data|keynote|Ana Lima (CNRS) <ana@cnrs.example>|FR",
        "Frugal AI|keynote|Ben Roy (Lab B) ben@b.example; Chen Wei (Lab C) chen@c.example|EN",
        # not one each, after each name: left to an e-mail column
        "Trust|keynote|Dan Okoro; Eva Sy (dan@d.example)|EN",
    ]
    form = write_csv(tmp_path / "form.csv", [row.split("|") for row in rows])
    result = import_form(form, SLOTS, options=ImportOptions(name="x"))
    assert [(s.name, s.affiliation, s.email) for s in result.instance.speakers] == [
        ("Ana Lima", "CNRS", "ana@cnrs.example"),
        ("Ben Roy", "Lab B", "ben@b.example"),
        ("Chen Wei", "Lab C", "chen@c.example"),
        ("Dan Okoro", "", None),
        ("Eva Sy", "", None),
    ]


def test_several_e_mail_findings_of_one_speaker_are_one_note(tmp_path):
    # a speaker on several rows got a note per address given, per cell that gave none,
    # and another for the kept address replaced: four notes on one person's address
    rows = [
        ["Adresse e-mail", "Titre", "Format", "Intervenant·es", "Langue"],
        ["ana@a.example", "Open data", "keynote", "Ana Lima (Lab A)", "FR"],
    ]
    first = write_csv(tmp_path / "form.csv", rows)
    instance = tmp_path / "x.yaml"
    write_instance(
        import_form(first, SLOTS, options=ImportOptions(name="x")), instance, {"form": first}
    )
    rows += [
        ["ana@b.example", "Data two", "keynote", "Ana Lima (Lab A)", "FR"],
        ["ana@b.example", "Data three", "keynote", "Ana Lima (Lab A)", "FR"],
        ["ana@c.example", "Data four", "keynote", "Ana Lima (Lab A)", "FR"],
        ["ana@lab", "Data five", "keynote", "Ana Lima (Lab A)", "FR"],
    ]
    rows[1][0] = "ana@b.example"  # (the kept address no longer given)
    second = write_csv(tmp_path / "form-v2.csv", rows)
    result = import_form(second, SLOTS, options=ImportOptions(name="x", keep=instance))
    assert load_instance(instance).speaker_by_id["ana-lima"].email == "ana@a.example"
    assert {s.id: s.email for s in result.instance.speakers} == {"ana-lima": "ana@b.example"}
    said = [n for n in result.notes if "e-mail" in n and ("ana-lima" in n or "Ana Lima" in n)]
    assert len(said) == 1, said
    flat = " ".join(said[0].split())
    assert flat.startswith(
        "speaker ana-lima (Ana Lima): e-mail 'ana@b.example' as the form gives it now, no "
        "longer 'ana@a.example' as in the kept instance"
    )
    assert "the form also gives 'ana@c.example' (its commonest, or first, is used)" in flat
    assert (
        "none from form-v2.csv: row 6, column 'Adresse e-mail': 'ana@lab' is not an e-mail "
        "address (correct it in the form)"
    ) in flat
    french = said[0].fr
    assert french.startswith(
        "intervenant·e ana-lima (Ana Lima)\u00a0: adresse e-mail «\u00a0ana@b.example\u00a0», "
        "telle que le formulaire la donne désormais, et non plus «\u00a0ana@a.example\u00a0» "
        "comme dans l'instance précédente"
    )
    assert (
        "aucune de form-v2.csv\u00a0: ligne 6, colonne «\u00a0Adresse e-mail\u00a0»\u00a0: "
        "«\u00a0ana@lab\u00a0» n'est pas une adresse e-mail (corrigez-la dans le formulaire)"
    ) in french


# -- --lang fr (FR2-15) ---------------------------------------------------------------


def test_import_s_notes_and_summary_read_in_french_with_lang_fr(tmp_path, capsys):
    # a French coordinator read import's notes and summary in English, where solve,
    # explain, diff and themes speak French with --lang fr
    output = tmp_path / "commons.yaml"
    argv = ["import", FORM, "--slots", SLOTS, "--availability", AVAIL, "-o", output]
    code, out, err = run([*argv, "--lang", "fr"], capsys)
    assert code == 0, err
    assert out.splitlines() == [
        "14 propositions (5 keynotes, 9 initiatives), 11 intervenant·es (10 avec une adresse "
        "e-mail), 2 salles, 6 créneaux, du 2026-12-01 au 2026-12-03\u00a0; 2 lignes non "
        "acceptées laissées de côté",
        "14 propositions n'ont pas encore de thème\u00a0: lancez `scheduler themes "
        f"{output} --apply` ou attribuez les thèmes à la main",
        f"écrit\u00a0: {output}",
    ]
    notes = err.splitlines()
    assert notes and all(line.startswith("note\u00a0: ") for line in notes), notes
    assert (
        "note\u00a0: thèmes\u00a0: pas de --themes, donc les six de l'appel de Commons AI 2026 "
        "ont été écrits, qui sont ceux de cet événement, pas d'un autre\u00a0: pour un autre "
        "événement, importez de nouveau avec --themes FICHIER donnant les siens (une liste "
        "themes: d'id et de libellés) avant que `scheduler themes --apply` ne place ceux-ci "
        "sur ses propositions"
    ) in notes
    assert (
        "note\u00a0: disponibilités ignorées des intervenant·es sans proposition "
        "acceptée\u00a0: Marc Lenoir"
    ) in notes
    # the same import in English, as by default: the file written is the same
    written = output.read_bytes()
    code, out, err = run([*argv, "--force"], capsys)
    assert code == 0, err
    assert output.read_bytes() == written
    assert out.splitlines()[0] == (
        "14 proposals (5 keynotes, 9 initiatives), 11 speakers (10 with an e-mail address), 2 "
        "rooms, 6 slots, days 2026-12-01..2026-12-03; 2 rows not accepted were left out"
    )
    assert (
        "note: ignored the availability of presenters with no accepted proposal: Marc Lenoir"
    ) in err.splitlines()


def test_rows_skipped_read_in_french_and_an_error_stays_in_english(tmp_path, capsys):
    output = tmp_path / "commons.yaml"
    argv = ["import", BAD_FORM, "--slots", SLOTS, "-o", output, "--lang", "fr"]
    code, out, err = run([*argv, "--skip-bad-rows"], capsys)
    assert code == 0, err
    assert (
        f"ignorée\u00a0: {BAD_FORM}, ligne 3, colonne «\u00a0Format\u00a0»\u00a0: impossible de "
        "lire «\u00a0Talk (45 min)\u00a0» comme keynote (20') ou initiative (10')"
    ) in err.splitlines()
    assert (
        f"ignorée\u00a0: {BAD_FORM}, ligne 6, colonne «\u00a0Language\u00a0»\u00a0: "
        "«\u00a0FR/EN\u00a0» nomme deux langues\u00a0; chaque proposition n'en a qu'une (FR ou EN)"
    ) in err.splitlines()
    assert "; 5 lignes illisibles ignorées" in out.replace("\u00a0", " ")
    # without --skip-bad-rows, the rows are an error's, and errors stay in English
    code, _, err = run([*argv, "--force"], capsys)
    assert code == 2
    assert (
        f"  {BAD_FORM}, row 3, column 'Format': cannot read 'Talk (45 min)' as keynote (20') "
        "or initiative (10')"
    ) in err.splitlines()
    assert "5 rows cannot be read; nothing written" in err


def test_a_re_import_s_notes_read_in_french(tmp_path, capsys):
    instance = tmp_path / "commons.yaml"
    code, _, err = run(["import", FORM, "--slots", SLOTS, "-o", instance], capsys)
    assert code == 0, err
    changed = _form_edited(tmp_path, "form-v2.csv", ("Communs numériques", 1, "jd@new.example"))
    argv = ["import", changed, "--slots", SLOTS, "-o", instance, "--keep", instance]
    code, _, err = run([*argv, "--lang", "fr"], capsys)
    assert code == 0, err
    said = [line for line in err.splitlines() if "jeanne-dupont" in line]
    assert len(said) == 1, said
    assert said[0].startswith(
        "note\u00a0: intervenant·e jeanne-dupont (Jeanne Dupont)\u00a0: adresse e-mail "
        "«\u00a0jd@new.example\u00a0», telle que le formulaire la donne désormais, et non plus "
        "«\u00a0j.dupont@val-dorge.example\u00a0» comme dans l'instance précédente\u00a0: `diff` "
        "ouvre le paragraphe de l'intervenant·e avec la nouvelle\u00a0; pour garder l'ancienne, "
        "donnez-la dans le formulaire"
    )


def test_a_row_problem_and_a_note_on_a_guess_in_both_languages():
    problem = RowProblem(
        Path("answers.xlsx"),
        4,
        "Horaire",
        _cell_message(read_hours, "14h"),
        sheet="Réponses",
    )
    assert str(problem) == (
        "answers.xlsx, sheet 'Réponses', row 4, column 'Horaire': cannot read '14h' as hours "
        "such as 14h-16h"
    )
    assert problem.worded("fr") == (
        "answers.xlsx, feuille «\u00a0Réponses\u00a0», ligne 4, colonne «\u00a0Horaire\u00a0»"
        "\u00a0: impossible de lire «\u00a014h\u00a0» comme un horaire tel que 14h-16h"
    )
    assert problem.worded("en") == str(problem)
    # a cell's line break is shown as repr shows it, between « » as between quotes
    assert "«\u00a0Ana\\nBen\u00a0»" in _cell_message(read_language, "Ana\nBen").fr
    guessed: list[str] = []
    read_presenters("Pouhiou, Framasoft (Paris)", guessed=guessed)
    (note,) = guessed
    assert note == (
        "read 'Pouhiou, Framasoft (Paris)' as Framasoft Pouhiou of Paris, last name first; if "
        "Framasoft is an organisation, write 'Pouhiou (Framasoft, Paris)'"
    )
    assert note.fr == (
        "«\u00a0Pouhiou, Framasoft (Paris)\u00a0» lu comme Framasoft Pouhiou, de Paris, le nom "
        "de famille en premier\u00a0; si Framasoft est une organisation, écrivez "
        "«\u00a0Pouhiou (Framasoft, Paris)\u00a0»"
    )


def _cell_message(reader, value):
    with pytest.raises(CellError) as info:
        reader(value)
    return info.value.args[0]


def test_the_word_tables_of_import_have_both_languages():
    from scheduler import importer
    from scheduler.commands.importer import IMPORT_WORDS

    assert set(importer.SHEET_ERRORS_FR) == set(importer.SHEET_ERRORS)
    assert set(importer._DELIMITERS_FR) == set(importer._DELIMITERS)
    required = {*importer.FORM_REQUIRED, *importer.SLOT_REQUIRED, *importer.AVAILABILITY_REQUIRED}
    assert set(importer.FIELDS_FR) == required
    assert set(importer.FORM_FIELDS_FR) == {key for key, _ in importer.FORM_FIELDS}
    assert set(importer._SLOT_SETTINGS_SAID) == set(importer.SLOT_SETTINGS)
    assert set(importer._WINDOW_WORDS_FR) == set(importer.WINDOW_FIELDS)
    assert set(importer._WINDOW_KINDS_FR) == set(importer.WINDOW_FIELDS)
    assert set(IMPORT_WORDS["fr"]) == set(IMPORT_WORDS["en"])
    for key, text in IMPORT_WORDS["fr"].items():
        assert not re.search(r" [:;!?»]|« ", text), (key, text)
    for code, cause in importer.SHEET_ERRORS_FR.items():
        assert_french(importer.sheet_error(code))
        assert cause in importer.sheet_error(code).fr
