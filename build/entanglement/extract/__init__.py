"""The extractor: propose records for a new document, by rules.

Given a document's text and what the records already know (people,
organizations and their aliases, quotations and their copies, the other
sources' texts), `extract()` proposes:

- quotations: every span between quotation marks (found by quotespans), the
  pieces of one quotation split by its attribution joined into one appearance,
  each with a speaker, a kind (spoken / written / statement), the verbatim
  attribution, a confidence and the cue that decided it;
- non-quotations: scare quotes, terms and titles, with their kind;
- names: people and organizations the records do not know, with their role as
  stated, and every mention of a known one;
- copies: how much of the text the document shares with each held source, a
  `derived_from` when it is a copy, and known quotations that it prints again
  (verbatim, reworded or garbled).

Everything here is plain functions over plain data, and deterministic: the same
text and knowledge give the same proposals in the same order. The rules know
the conventions of news text (`"…," X said, "…"`, `said X, a professor at Y`,
a quotation that runs over paragraphs, a quotation that continues after its
attribution, pronouns resolved to the last person reported speaking) and no
particular document. Cost is linear in the text: the scans are regular
expressions over the whole text and every window looked at is bounded.

The modules, in the order a document passes through them:

- lexicon: character classes, word lists and the name pattern, shared by all;
- knowledge: what the records know (Knowledge, built once, read by every document);
- proposals: the plain data extract() returns (Proposals and its parts);
- document: the text's lines and sentences (Doc);
- names: rules about one name (titles, places, groups, org types, name_key);
- registry: every person and organization of the document, known or new (Registry);
- units: the quotation-mark spans as quotation units, and the Cue an attribution gives;
- attribution: who said a quotation (Quoter: cues, pronouns, issuers);
- nonquotes: scare quotes, terms and titles;
- copies: shared word 5-grams with the held sources;
- known_quotes: known quotations printed again (verbatim, reworded, garbled);
- assembly: extract(), which runs the above and decides.
"""

from .assembly import extract
from .copies import find_copies
from .knowledge import Knowledge, KnownEntity, KnownQuote, KnownSource
from .known_quotes import QuoteIndex, match_known_quote
from .names import name_key
from .proposals import Copy, Entity, Mention, NonQuotation, Proposals, Quotation

__all__ = ["extract", "find_copies", "Knowledge", "KnownEntity", "KnownQuote", "KnownSource", "QuoteIndex",
           "match_known_quote", "name_key", "Copy", "Entity", "Mention", "NonQuotation", "Proposals", "Quotation"]
