"""The PDF's fonts: the characters no installed font has, which WeasyPrint prints as
boxes, said once per kind of character in the tool's words (which record, which
characters, what to install), instead of WeasyPrint's line per character and per use."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from scheduler.instance import Instance
from scheduler.text import MORE_FR, first_of

RENDERERS = ("weasyprint", "fontTools")
"""The loggers of the libraries that make the PDF (fontTools subsets its fonts)."""

_NOTDEF = ".notdef glyph rendered for Unicode string unsupported by fonts"
"""The start of WeasyPrint's warning for a character no font has (its code point the
warning's second argument); a warning worded otherwise is passed on, not dropped."""

NOISE = ("Using fontTools instead of HarfBuzz-Subset",)
"""WeasyPrint's warnings about how it made the PDF, not about what the PDF shows: a
HarfBuzz older than it likes (Debian 12's) makes it subset fonts with fontTools, a
warning for each font of every PDF, which the PDF does not show."""

SCREEN_ONLY = ("Expected a media type", "Invalid media type")
"""WeasyPrint's warnings on a media query it cannot read, which it then ignores: the
grid's rules for a screen (`@media screen and (min-width: …)`), which a PDF must ignore;
two lines on every PDF. One that does not name `screen` is passed on."""


def noise(record: logging.LogRecord) -> bool:
    """Whether a renderer's warning says nothing of the PDF it made (`NOISE`, `SCREEN_ONLY`)."""
    message = str(record.msg)
    if record.levelno >= logging.ERROR:
        return False
    return message.startswith(NOISE) or (
        message.startswith(SCREEN_ONLY) and "screen" in record.getMessage()
    )


EMOJI_JOINERS = {0x200D, 0x20E3, 0xFE0E, 0xFE0F}
"""The zero-width joiner, the keycap and the variation selectors, which an emoji
sequence holds (🧑‍💻, 1️⃣) and which fonts without emoji lack too."""


class FontLog(logging.Handler):
    """What the renderers warned of while a PDF was made: the characters no font has, in
    order, and their other warnings and errors, each once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: dict[str, None] = {}
        self.said: dict[str, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if str(record.msg).startswith(_NOTDEF) and len(args) > 1 and isinstance(args[1], int):
            self.missing.setdefault(chr(args[1]))
        elif not noise(record):
            self.said.setdefault(record.getMessage())


@contextmanager
def font_log() -> Iterator[FontLog]:
    """The renderers' warnings in the block, caught rather than printed raw (a line per
    character and per use, in the logging's format: `WARNING weasyprint: .notdef glyph
    rendered for Unicode string unsupported by fonts: "🤖" (U+1F916)`)."""
    handler = FontLog()
    loggers = [logging.getLogger(name) for name in RENDERERS]
    kept = [logger.propagate for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield handler
    finally:
        for logger, propagate in zip(loggers, kept, strict=True):
            logger.removeHandler(handler)
            logger.propagate = propagate


def character_set(char: str) -> str:
    """The kind of character a font covers or not: "emoji", "CJK" (Chinese, Japanese
    and Korean, one font for them), or the script Unicode names it by ("ARABIC",
    "TIFINAGH"...); "" for a character without a name (private use, unassigned)."""
    code = ord(char)
    if (
        code in EMOJI_JOINERS
        or 0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0xE0020 <= code <= 0xE007F  # (the tags of a flag's sequence, 🏴󠁧󠁢󠁳󠁣󠁴󠁿)
    ):
        return "emoji"
    name = unicodedata.name(char, "")
    script = name.split()[0] if name else ""
    if script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"):
        return "CJK"
    return script


def _where(instance: Instance, char: str, lang: str) -> list[str]:
    """The texts of the instance the grid prints that hold `char`, as a reader finds them."""
    fr = lang == "fr"
    texts: list[tuple[str, str]] = [
        (instance.event.title, "le titre de l'événement" if fr else "the event's title"),
        (instance.event.venue, "le lieu de l'événement" if fr else "the event's venue"),
    ]
    for theme in instance.themes:
        label = f"le libellé du thème {theme.id}" if fr else f"theme {theme.id}'s label"
        texts += [(theme.label.fr, label), (theme.label.en, label)]
    for room in instance.rooms:
        texts.append(
            (room.name, f"le nom de la salle {room.id}" if fr else f"room {room.id}'s name")
        )
    for p in instance.proposals:
        texts.append((p.title, f"le titre de {p.id}" if fr else f"{p.id}'s title"))
        fmt = f"le format participatif de {p.id}" if fr else f"{p.id}'s participatory format"
        texts.append((p.participatory_format or "", fmt))
    for s in instance.speakers:
        texts.append((s.name, f"le nom de {s.id}" if fr else f"speaker {s.id}'s name"))
        affiliation = f"l'affiliation de {s.id}" if fr else f"speaker {s.id}'s affiliation"
        texts.append((s.affiliation, affiliation))
    return list(dict.fromkeys(where for text, where in texts if char in text))


def missing_lines(
    missing: list[str], instance: Instance | None, file_name: str, messages: str = "en"
) -> list[str]:
    """A warning per kind of character no font has (`character_set`): which characters
    print as boxes in `file_name`, in which texts, and what to install."""
    fr = messages == "fr"
    kinds: dict[str, list[str]] = {}
    for char in missing:
        kinds.setdefault(character_set(char), []).append(char)
    lines = []
    for kind, chars in kinds.items():
        shown = " ".join(
            f"U+{ord(c):04X}" if unicodedata.category(c) in ("Cf", "Mn", "Co", "Cn") else c
            for c in chars
        )
        places = [w for c in chars for w in (_where(instance, c, messages) if instance else [])]
        named = first_of(list(dict.fromkeys(places)), 3, MORE_FR if fr else "and {} more")
        lines.append(_line(kind, shown, named, file_name, fr))
    return lines


_INSTALL = {
    # kind: (what, in English and French; the font to install, en, fr; its Debian package)
    "emoji": ("emoji", "d'emoji", "a colour emoji font", "une police d'emoji en couleur",
              "fonts-noto-color-emoji"),
    "CJK": ("Chinese, Japanese or Korean characters",
            "de caractères chinois, japonais ou coréens", "a font that has them",
            "une police qui les a", "fonts-noto-cjk"),
}  # fmt: skip
"""What to install for each kind of character; another script's is in Noto's core fonts."""


def _line(kind: str, shown: str, named: str, file_name: str, fr: bool) -> str:
    """One kind of character `missing_lines` warns of, in French (`fr`) or English."""
    where = f" ({named})" if named else ""
    if not kind:  # (private use, or not in the Unicode this Python knows: no font to name)
        if fr:
            return (
                f"{file_name}\u00a0: {shown}{where}, caractères sans nom Unicode (à usage "
                "privé ?), s'impriment comme des carrés\u00a0: aucune police installée ne les "
                "a\u00a0; remplacez-les dans l'instance"
            )
        return (
            f"{file_name}: {shown}{where}, characters without a Unicode name (private "
            "use?), print as boxes: no font installed has them; replace them in the instance"
        )
    what, what_fr, font, font_fr, package = _INSTALL.get(
        kind,
        (
            f"{kind.title()} characters",
            f"de caractères de l'écriture {kind.title()}",
            "a font that has them",
            "une police qui les a",
            "fonts-noto-core",
        ),
    )
    if fr:
        return (
            f"{file_name}\u00a0: aucune police installée n'a {what_fr}\u00a0: {shown}{where} "
            f"s'impriment comme des carrés\u00a0; installez {font_fr} (Debian, Ubuntu\u00a0: "
            f"{package}) et exportez à nouveau"
        )
    return (
        f"{file_name}: no font installed has {what}: {shown}{where} print as boxes; "
        f"install {font} (Debian, Ubuntu: {package}) and export again"
    )


def passed_on(said: list[str], file_name: str, messages: str = "en") -> list[str]:
    """The renderers' other warnings, each once, named as theirs (never dropped: one may
    be a real failure, an unreadable font)."""
    if messages == "fr":
        return [f"{file_name}\u00a0: WeasyPrint, en faisant le PDF\u00a0: {m}" for m in said]
    return [f"{file_name}: WeasyPrint, making the PDF: {m}" for m in said]
