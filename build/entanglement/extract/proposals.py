"""The plain data `extract()` returns: Proposals for one document, made of
Entities (people and organizations, known or new), Mentions, Quotations,
NonQuotations and Copies. Offsets are character offsets into the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entity:
    """A person or organization of the document: known (key is its id) or new (key is
    the proposed id), with the forms it takes, its roles as stated and its affiliations."""
    key: str                 # a known id, or the proposed id of a new record
    kind: str                # person | organization
    name: str
    known: bool
    cue: str = ""
    confidence: float = 0.0
    forms: dict[str, tuple[int, int]] = field(default_factory=dict)   # surface form -> first (start, end)
    roles: list[tuple[str, int, int]] = field(default_factory=list)  # role as stated, passage (start, end)
    orgs: list[tuple[str, str, int, int]] = field(default_factory=list)  # (org key, role, passage start, end)
    first: tuple[int, int] = (0, 0)
    male: int = 0
    female: int = 0
    org_type: str = "other"
    jurisdiction: str = "none"
    category: str = "private_individual"
    unnamed: bool = False    # a group the text reports speaking without naming it ("the officers")

    @property
    def gender(self) -> str | None:
        """'m' or 'f' when the pronouns that refer to it mostly agree, else None."""
        if self.male > self.female:
            return "m"
        if self.female > self.male:
            return "f"
        return None


@dataclass
class Mention:
    """A place in the text that names an entity."""
    start: int
    end: int
    key: str


@dataclass
class Quotation:
    """A proposed quotation: its pieces, speaker, kind, attribution, and the known quotation it prints again."""
    pieces: list[tuple[int, int]]              # offsets of each piece (inside the marks)
    speaker: str | None = None                 # entity key
    confidence: float = 0.0
    cue: str = ""
    kind: str = "spoken"
    attribution: tuple[int, int] | None = None
    unbalanced: bool = False
    known_quote: str | None = None             # id of the known quotation it prints again
    fidelity: str = "verbatim"
    similarity: float = 0.0


@dataclass
class NonQuotation:
    """A proposed non-quotation: a scare quote, term or title, with its kind and cue."""
    start: int
    end: int
    kind: str
    cue: str
    confidence: float


@dataclass
class Copy:
    """How much of the document a held source shares, and where."""
    source_id: str
    share: float                               # fraction of this text's word 5-grams found in the source
    passages: list[tuple[int, int]]            # shared passages (offsets in this text), longest first
    quotes: list[str]                          # known quotations printed in both


@dataclass
class Proposals:
    """Everything `extract()` proposes for one document."""
    source_id: str
    text: str
    quotations: list[Quotation] = field(default_factory=list)
    non_quotations: list[NonQuotation] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    derived_from: str | None = None
    relation: str | None = None
    notes: list[str] = field(default_factory=list)

    def new_entities(self) -> list[Entity]:
        """The entities the records do not know yet."""
        return [e for e in self.entities.values() if not e.known]

    def mentioned_keys(self) -> list[str]:
        """The keys of the entities mentioned, in the order first mentioned."""
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.key, None)
        return list(seen)
