"""Labelled pairs of people, for measuring how well person screening matches (bench/screening.py).

A pair is one row of an exclusion list (an LEIE row, upper case as OIG writes it) and one person
as an applicant gives them: in separate fields, or as one full name (a care-team member's) in
'First Middle Last' or 'Last, First Middle' order. Half the pairs are the same person written
differently: case, whitespace, punctuation, diacritics, suffixes and titles, a middle name
present, absent or an initial, the order, a date of birth known on one side or both. Half are
different people with close names: the same name born on another day, a father and son (Sr. and
Jr.), a surname or given name one letter different, another given name with the same surname,
a sibling born the same year.

Some same-person pairs are written so that no normaliser could tell: a nickname, a typo, an
initial for the given name, a surname of several words after the given names ('Maria Garcia
Lopez': Garcia may be a middle name). They count towards recall, not towards the goal: every
other same-person pair found, and at most 1% of the different people reported as potential
matches. A namesake whose date of birth one side does not know is a potential match by design (a
reviewer decides), so the different people here differ in name, or both dates are known.

``name_pairs(count, seed=)`` makes the pairs; ``name_pair_evaluation(pairs)`` imports their list
side as one LEIE release through the importer and screens each other side with
``person_findings``, as the portal does. Needs Django set up.
"""

import csv
import io
import random
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.utils import timezone

from screening.matching import person_findings
from screening.normalise import split_full_name
from screening.services.exclusion_lists import exclusion_release_import

GOAL_FALSE_MATCH_RATE = 0.01
AMBIGUOUS_SURNAME = "surname of several words after the given names"
LEIE_HEADER = (
    "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,"
    "EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE"
)
SURNAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
    "Young", "Allen", "King", "Wright", "Scott", "Washington", "Cohen", "Levy", "Müller",
    "Sørensen", "García", "Martínez", "Hernández", "López", "González", "Rodríguez", "Pérez",
    "Sánchez", "Ramírez", "Torres", "Rivera", "Gómez", "Díaz", "Reyes", "Cruz", "Morales",
    "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Ruiz", "Álvarez", "Mendoza", "Castillo", "Jiménez",
    "Vásquez", "Romero", "Herrera", "Medina", "Aguilar", "Vargas", "Castro", "Fernández",
    "Guzmán", "Muñoz", "Peña", "Núñez", "Ibáñez", "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh",
    "Võ", "Đặng", "Đỗ", "Bùi", "Trương", "Do", "Lee", "Kim", "Park", "Chen", "Wong", "Yang",
    "Zhang", "Wang", "Liu", "Patel", "Shah", "Singh", "Kaur", "Khan", "Ali",
    "O'Brien", "O'Connor", "D'Angelo", "McDonald", "García-López", "Ramírez Ortiz",
    "de la Cruz", "De León", "Del Río", "Van Dyke", "St. John",
)  # fmt: skip
# How lists and applicants write the surnames that have punctuation or several words.
SPELLINGS = {
    "O'Brien": ("O'Brien", "OBrien", "O Brien", "O\u2019Brien"),  # a typographic apostrophe
    "O'Connor": ("O'Connor", "OConnor", "O Connor"),
    "D'Angelo": ("D'Angelo", "DAngelo", "D Angelo"),
    "McDonald": ("McDonald", "Mc Donald"),
    "García-López": ("García-López", "García López", "GarcíaLópez"),
    "Ramírez Ortiz": ("Ramírez Ortiz", "Ramírez-Ortiz"),
    "de la Cruz": ("de la Cruz", "De La Cruz", "DeLaCruz", "Dela Cruz"),
    "De León": ("De León", "DeLeón", "De-León"),
    "Del Río": ("Del Río", "DelRío"),
    "Van Dyke": ("Van Dyke", "VanDyke"),
    "St. John": ("St. John", "St John", "St.John"),
}
GIVEN_NAMES = (
    "John", "Mary", "James", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Margaret", "Steven", "Deborah", "José",
    "María", "Jesús", "Ana", "Sofía", "Lucía", "Guadalupe", "Ramón", "Raúl", "Héctor", "Óscar",
    "Luis", "Carlos", "Juan", "Chloé", "Renée", "Zoë", "François", "Jean-Luc", "Ji-Woo", "Anh",
    "Minh", "Thu", "Linh", "Thanh", "Hương", "Quang", "Tuấn", "Wei", "Priya", "Rahul", "Fatima",
    "Mohammed", "Aisha", "Hyun", "Søren",
)  # fmt: skip
MIDDLE_NAMES = ("Ann", "Lee", "Marie", "James", "Elena", "Thi", "Van", "Luis", "Grace", "Alan")
NICKNAMES = {
    "William": "Bill", "Robert": "Bob", "Elizabeth": "Liz", "James": "Jim", "Michael": "Mike",
    "Jennifer": "Jen", "Richard": "Dick", "Joseph": "Joe", "Margaret": "Peggy",
    "Guadalupe": "Lupe", "José": "Pepe", "Thomas": "Tom", "Daniel": "Dan", "Anthony": "Tony",
}  # fmt: skip
GENERATIONAL = ("Jr.", "Jr", "Sr.", "II", "III", "IV")
PROFESSIONAL = ("MD", "M.D.", "RN", "Ph.D.", "D.O.", "NP", "LVN", "PhD")


@dataclass(frozen=True)
class Person:
    surname: str
    given: str
    middle: str
    suffix: str
    date_of_birth: date


@dataclass(frozen=True)
class Listed:
    """One LEIE row as OIG writes it: upper case, most diacritics gone, no suffix column."""

    last: str
    first: str
    middle: str
    date_of_birth: date | None

    def __str__(self) -> str:
        return f"{self.last}, {self.first} {self.middle}".strip() + _born(self.date_of_birth)


@dataclass(frozen=True)
class Screened:
    """A person as an applicant wrote them: fields, or a full name split as the portal splits it."""

    last: str = ""
    first: str = ""
    full_name: str = ""
    date_of_birth: date | None = None

    def __str__(self) -> str:
        written = repr(self.full_name) if self.full_name else f"{self.last!r} / {self.first!r}"
        return written + _born(self.date_of_birth)

    def fields(self) -> tuple[str, str]:
        return split_full_name(self.full_name) if self.full_name else (self.last, self.first)


@dataclass(frozen=True)
class NamePair:
    listed: Listed
    screened: Screened
    same_person: bool
    # What differs beyond how the names are written: a nickname for the same person, a sibling
    # for different people; "" for the same person written differently.
    kind: str
    written: str  # how the screened side is written

    @property
    def names_agree(self) -> bool:
        return self.same_person and not self.kind

    def __str__(self) -> str:
        what = "; ".join(p for p in (self.kind, self.written) if p)
        return f"list {self.listed} | screened {self.screened} ({what})"


def name_pairs(count: int, *, seed: int = 5) -> list[NamePair]:
    """``count`` pairs, half the same person and half different people, the same for a seed."""
    rng = random.Random(seed)
    return [(_same_person if n % 2 == 0 else _different_people)(rng) for n in range(count)]


@dataclass
class NamePairEvaluation:
    found: list[NamePair] = field(default_factory=list)  # true positives
    missed: list[NamePair] = field(default_factory=list)  # false negatives
    false_matches: list[NamePair] = field(default_factory=list)  # false positives
    told_apart: list[NamePair] = field(default_factory=list)  # true negatives

    @property
    def recall(self) -> float:
        return len(self.found) / max(1, len(self.found) + len(self.missed))

    @property
    def precision(self) -> float:
        return len(self.found) / max(1, len(self.found) + len(self.false_matches))

    @property
    def agreeing(self) -> int:
        """How many same-person pairs have names that agree (the goal's denominator)."""
        return sum(p.names_agree for p in self.found + self.missed)

    @property
    def missed_where_names_agree(self) -> list[NamePair]:
        return [p for p in self.missed if p.names_agree]

    @property
    def false_match_rate(self) -> float:
        """Different people reported as a potential match, as a share of all different people."""
        return len(self.false_matches) / max(1, len(self.false_matches) + len(self.told_apart))

    def goals(self) -> dict[str, bool]:
        missed = len(self.missed_where_names_agree)
        return {
            f"every same-person pair whose names agree found ({missed} of {self.agreeing:,} "
            "missed)": not missed,
            f"at most {GOAL_FALSE_MATCH_RATE:.0%} of different people a potential match "
            f"({self.false_match_rate:.2%})": self.false_match_rate <= GOAL_FALSE_MATCH_RATE,
        }

    def figures(self, examples: int = 4) -> dict[str, object]:
        """The counts, rates and a few examples of each kind of mistake, for printing."""
        missed_by_kind: dict[str, list[int]] = {}  # kind: [missed, of how many]
        for pairs, missed_here in ((self.found, 0), (self.missed, 1)):
            for pair in pairs:
                counts = missed_by_kind.setdefault(pair.kind or "names agree", [0, 0])
                counts[0] += missed_here
                counts[1] += 1
        first_of_kind: dict[str, NamePair] = {}
        for pair in self.missed:
            first_of_kind.setdefault(pair.kind, pair)
        # Misses whose names agree first (they break the goal), then one of each other kind.
        missed = self.missed_where_names_agree + [p for k, p in first_of_kind.items() if k]
        return {
            "true_positives": len(self.found),
            "false_negatives": len(self.missed),
            "false_positives": len(self.false_matches),
            "true_negatives": len(self.told_apart),
            "recall": self.recall,
            "precision": self.precision,
            "goals": self.goals(),
            "missed_by_kind": missed_by_kind,
            "missed_examples": [str(p) for p in missed[:examples]],
            "false_match_examples": [str(p) for p in self.false_matches[:examples]],
        }


def name_pair_evaluation(pairs: list[NamePair]) -> NamePairEvaluation:
    """Import the list side of every pair as the active LEIE release, then screen each other side
    against it; a pair is matched when its own row is among the findings."""
    summary = exclusion_release_import(source="leie", content=leie_file(pairs), operator="bench")
    today = timezone.localdate()
    evaluation = NamePairEvaluation()
    for line, pair in enumerate(pairs, start=2):  # line 1 is the header
        last, first = pair.screened.fields()
        findings = person_findings(
            summary.release,
            last_name=last,
            first_name=first,
            date_of_birth=pair.screened.date_of_birth,
            on=today,
        )
        matched = any(match.record.line_number == line for match in findings.matches)
        if pair.same_person:
            (evaluation.found if matched else evaluation.missed).append(pair)
        else:
            (evaluation.false_matches if matched else evaluation.told_apart).append(pair)
    return evaluation


def leie_file(pairs: list[NamePair]) -> bytes:
    """An LEIE full file with the list side of each pair on line 2, 3, …"""
    out = io.StringIO()
    out.write(LEIE_HEADER + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    for pair in pairs:
        row = pair.listed
        born = f"{row.date_of_birth:%Y%m%d}" if row.date_of_birth else "00000000"
        writer.writerow(
            [row.last, row.first, row.middle, "", "NURSE", "", "", "0000000000", born,
             "1 MAIN ST", "CITY", "CA", "90012", "1128b4", "20200115", "00000000", "00000000", ""]
        )  # fmt: skip
    return out.getvalue().encode()


def _person(rng: random.Random) -> Person:
    suffix = ""
    if rng.random() < 0.12:
        suffix = rng.choice(GENERATIONAL)
    elif rng.random() < 0.12:
        suffix = rng.choice(PROFESSIONAL)
    return Person(
        surname=rng.choice(SURNAMES),
        given=rng.choice(GIVEN_NAMES),
        middle=rng.choice(MIDDLE_NAMES) if rng.random() < 0.6 else "",
        suffix=suffix,
        date_of_birth=date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28)),
    )


def _same_person(rng: random.Random) -> NamePair:
    person = _person(rng)
    kind, written_as = "", person
    if rng.random() < 0.06:
        kind, written_as = _renamed(person, rng)
    screened, tags = _screened(written_as, rng)
    if not kind and AMBIGUOUS_SURNAME in tags:
        kind = AMBIGUOUS_SURNAME
        tags.remove(AMBIGUOUS_SURNAME)
    on_list, on_screened, dob_tag = _dates_of_birth(rng)
    return NamePair(
        _listed(person, rng, known=on_list),
        replace(screened, date_of_birth=person.date_of_birth if on_screened else None),
        same_person=True,
        kind=kind,
        written="; ".join([*tags, dob_tag]),
    )


def _different_people(rng: random.Random) -> NamePair:
    kind = rng.choice(list(_NAMESAKES))
    person, other = _NAMESAKES[kind](_person(rng), rng)
    screened, tags = _screened(other, rng)
    if kind in _DATES_DIFFER:
        on_list, on_screened, dob_tag = True, True, "dates of birth on both sides"
    else:  # only the names tell them apart
        on_list, on_screened, dob_tag = _dates_of_birth(rng)
    return NamePair(
        _listed(person, rng, known=on_list),
        replace(screened, date_of_birth=other.date_of_birth if on_screened else None),
        same_person=False,
        kind=kind,
        written="; ".join([*tags, dob_tag]),
    )


def _renamed(person: Person, rng: random.Random) -> tuple[str, Person]:
    """The same person under a name written so that no normaliser can tell."""
    if person.given in NICKNAMES and rng.random() < 0.5:
        return "nickname", replace(person, given=NICKNAMES[person.given])
    if rng.random() < 0.5:
        return "given-name initial", replace(person, given=person.given[:1] + ".")
    return "surname typo", replace(person, surname=_one_letter_changed(person.surname, rng))


def _dates_of_birth(rng: random.Random) -> tuple[bool, bool, str]:
    """Whether the list and the screened side know the date of birth, as often as each comes."""
    return rng.choices(
        [
            (True, True, "dates of birth on both sides"),
            (True, False, "date of birth on the list only"),
            (False, True, "date of birth screened only"),
            (False, False, "no date of birth"),
        ],
        weights=[5, 2, 1, 1],
    )[0]


def _listed(person: Person, rng: random.Random, *, known: bool) -> Listed:
    last = rng.choice(SPELLINGS.get(person.surname, (person.surname,)))
    if person.suffix in GENERATIONAL and rng.random() < 0.5:
        last = f"{last} {person.suffix.rstrip('.')}"
    names = [last, person.given, rng.choice([person.middle, person.middle[:1]])]
    if rng.random() < 0.8:
        names = [_without_diacritics(n) for n in names]
    last, first, middle = (n.upper() for n in names)
    return Listed(last, first, middle, person.date_of_birth if known else None)


def _screened(person: Person, rng: random.Random) -> tuple[Screened, list[str]]:
    """The person as an applicant might write them (without a date of birth), and how."""
    surname = rng.choice(SPELLINGS.get(person.surname, (person.surname,)))
    middle = person.middle and rng.choice(
        [person.middle, person.middle[0], person.middle[0] + ".", ""]
    )
    given = " ".join(w for w in (person.given, middle) if w)
    suffix = rng.choice([person.suffix, ""]) if person.suffix else ""
    comma = rng.choice([", ", " "])
    title = "Dr. " if rng.random() < 0.08 else ""
    form = rng.choices(["fields", "First Last", "Last, First"], weights=[5, 3, 2])[0]
    tags = [form, f"middle name {_middle_tag(person.middle, middle)}"]
    if surname != person.surname:
        tags.append("surname spelling")
    if suffix:
        tags.append(f"suffix {suffix}")
    if title:
        tags.append("title Dr.")
    if form == "fields":
        if suffix and rng.random() < 0.5:
            tags.append("suffix in the first-name field")
            parts = [f"{title}{given}{comma}{suffix}", surname]
        else:
            parts = [title + given, f"{surname}{comma}{suffix}" if suffix else surname]
    elif form == "First Last":
        parts = [f"{title}{given} {surname}" + (f"{comma}{suffix}" if suffix else "")]
        if " " in surname:
            tags.append(AMBIGUOUS_SURNAME)
    elif suffix and rng.random() < 0.5:
        parts = [f"{surname} {suffix}, {title}{given}"]
    else:
        parts = [f"{surname}, {title}{given}" + (f"{comma}{suffix}" if suffix else "")]
    for tag, change in _WRITINGS:
        changed = [change(p) for p in parts]
        if rng.random() < 0.25 and changed != parts:
            parts = changed
            tags.append(tag)
    if form == "fields":
        return Screened(first=parts[0], last=parts[1]), tags
    return Screened(full_name=parts[0]), tags


def _middle_tag(middle: str, written: str) -> str:
    if not middle:
        return "none"
    return {middle: "given", "": "left out"}.get(written, "initial")


def _without_diacritics(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _one_letter_changed(value: str, rng: random.Random, *, first_word: bool = False) -> str:
    """``value`` with one letter (of its first word, when asked) replaced by another letter."""
    end = len(value.replace("-", " ").split(" ")[0]) if first_word else len(value)
    position = rng.choice([i for i, ch in enumerate(value[:end]) if ch.isalpha()])
    was = _without_diacritics(value[position]).upper()
    letter = rng.choice([ch for ch in string.ascii_uppercase if ch != was])
    letter = letter if value[position].isupper() else letter.lower()
    return value[:position] + letter + value[position + 1 :]


def _another_given_name(person: Person, rng: random.Random) -> str:
    return rng.choice([g for g in GIVEN_NAMES if g != person.given])


def _born(value: date | None) -> str:
    return f", born {value}" if value else ""


_UNDECOMPOSED = str.maketrans({"Đ": "D", "đ": "d", "ø": "o", "Ø": "O"})
_WRITINGS: list[tuple[str, Callable[[str], str]]] = [
    ("upper case", str.upper),
    ("lower case", str.lower),
    ("no diacritics", _without_diacritics),
    ("extra whitespace", lambda v: f" {v.replace(' ', '  ')}  "),
]


# Two different people with close names: (the one listed, the one screened), by what differs.
def _born_another_day(p: Person, rng: random.Random) -> tuple[Person, Person]:
    days = rng.choice([-1, 1]) * rng.randint(1, 9000)
    return p, replace(p, date_of_birth=p.date_of_birth + timedelta(days))


def _father_and_son(p: Person, rng: random.Random) -> tuple[Person, Person]:
    born = p.date_of_birth.replace(year=p.date_of_birth.year - rng.randint(20, 35))
    return replace(p, suffix="Sr.", date_of_birth=born), replace(p, suffix="Jr.")


def _surname_one_letter_different(p: Person, rng: random.Random) -> tuple[Person, Person]:
    return p, replace(p, surname=_one_letter_changed(p.surname, rng))


def _given_name_one_letter_different(p: Person, rng: random.Random) -> tuple[Person, Person]:
    return p, replace(p, given=_one_letter_changed(p.given, rng, first_word=True))


def _another_given_name_same_surname(p: Person, rng: random.Random) -> tuple[Person, Person]:
    return p, replace(p, given=_another_given_name(p, rng))


def _sibling_born_that_year(p: Person, rng: random.Random) -> tuple[Person, Person]:
    born = p.date_of_birth.replace(month=p.date_of_birth.month % 12 + 1)
    return p, replace(p, given=_another_given_name(p, rng), date_of_birth=born)


_NAMESAKES: dict[str, Callable[[Person, random.Random], tuple[Person, Person]]] = {
    "same name, another date of birth": _born_another_day,
    "father and son (Sr., Jr.)": _father_and_son,
    "sibling born that year": _sibling_born_that_year,
    "surname one letter different": _surname_one_letter_different,
    "given name one letter different": _given_name_one_letter_different,
    "another given name, same surname": _another_given_name_same_surname,
}
# Two people of the same name, or nearly, are told apart by dates of birth, both known.
_DATES_DIFFER = {
    "same name, another date of birth",
    "father and son (Sr., Jr.)",
    "sibling born that year",
}
