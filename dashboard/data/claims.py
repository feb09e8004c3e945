"""Whether each stance's claim is stated by its evidence, and the corrections log (issue 13).

The quote matcher proves that every quote is verbatim; these checks bear on the claim drawn
from the quotes (docs/data-format.md, "Stated positions and editors' readings"):

- every stance and every counter view marks at least one quote `states: true`;
- every position of a topic lists `terms`, the words by which the sources express it;
- unless the stance (or counter view) carries `reading:`, the editors' reasoning, one of its
  stating quotes uses one of its position's terms (case-insensitive, whole words; quotes,
  apostrophes, dashes and whitespace normalized as the quote matcher does);
- attribution is one rule: `critic` names the other organization it speaks for
  (`speaker_org`), `observer` speaks for no organization in the data.

The bundled data carries `states` and `terms` everywhere, so REQUIRE_STATED is True and these
findings are errors (False makes them warnings, for annotating a large batch of new data).
The corrections checks are always errors.

Each check is a small function taking what it checks, where it is (file, path) and the lists
of issues and warnings it adds to; the loader only calls them.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from .errors import Issue
from .matching import DASHES, QUOTES, SPACES
from .models import Correction, Position, Quote, Topic
from .yamlfile import YamlFile

REQUIRE_STATED = True  # every stance in the bundled data is stated or marked as a reading


def _report(issue: Issue, issues: list[Issue], warnings: list[str]) -> None:
    """An error when REQUIRE_STATED, else a warning (same text, file:line first)."""
    if REQUIRE_STATED:
        issues.append(issue)
    else:
        warnings.append(f"{issue.location()}: {issue.message}" + (f" ({issue.hint})" if issue.hint else ""))


# ---- terms -----------------------------------------------------------------------------------

_QUOTE_TABLE = str.maketrans(QUOTES)
_DASH_RUN = re.compile("[" + re.escape("".join(sorted(SPACES))) + "]*[" + re.escape("".join(sorted(DASHES)))
                       + "]+[" + re.escape("".join(sorted(SPACES))) + "]*")
_SPACE_RUN = re.compile("[" + re.escape("".join(sorted(SPACES))) + "]+")


def normalize(text: str) -> str:
    """Text as terms are looked for in it: case-folded, quotes and apostrophes straightened,
    every run of dashes (with any spaces around it) one '-', every run of whitespace one space."""
    text = text.translate(_QUOTE_TABLE).casefold()
    text = _DASH_RUN.sub("-", text)
    return _SPACE_RUN.sub(" ", text).strip()


def term_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """One regex finding any of the terms as whole words in `normalize`d text (None: no terms)."""
    alts = sorted({normalize(t) for t in terms if normalize(t)}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)")


def uses_term(text: str, pattern: re.Pattern | None) -> bool:
    """Whether the text uses one of the terms (`term_pattern`)."""
    return pattern is not None and pattern.search(normalize(text)) is not None


PositionTerms = tuple[Position, "re.Pattern | None"]


def position_terms(topics: Iterable[Topic]) -> dict[tuple[str, str], PositionTerms]:
    """Every (topic, position): the position and its terms, prepared once."""
    return {(t.id, p.id): (p, term_pattern(p.terms)) for t in topics for p in t.positions}


def _shown_terms(terms: Iterable[str]) -> str:
    return ", ".join(f'"{t}"' for t in terms)


# ---- checks ----------------------------------------------------------------------------------

def check_position_terms(topic: Topic, yf: YamlFile, path: tuple, issues: list[Issue],
                         warnings: list[str]) -> None:
    """Every position of a topic lists the terms by which the sources express it."""
    for i, pos in enumerate(topic.positions):
        if not pos.terms:
            _report(yf.issue(path + ("positions", i, "id"),
                             f"position '{pos.id}' of topic '{topic.id}' lists no terms",
                             "add `terms:`, the words by which the sources express it"), issues, warnings)


def check_stated(what: str, terms: PositionTerms | None, quotes: list[Quote], reading: str | None,
                 yf: YamlFile, path: tuple, issues: list[Issue], warnings: list[str]) -> None:
    """A stance or counter view (`what`) at `path`: at least one quote states its position, and,
    unless it carries `reading:`, a stating quote uses one of the position's terms.
    `terms` (from `position_terms`) is None when the position is unknown (reported elsewhere)."""
    stating = [q for q in quotes if q.states]
    if not stating:
        _report(yf.issue(path + ("quotes",), f"the {what} has no stating quote (none is marked `states: true`)",
                         "mark the quote whose words state the position with `states: true`"), issues, warnings)
        return
    position, pattern = terms if terms is not None else (None, None)
    if reading is not None or position is None or not position.terms:
        return  # an editors' reading; or nothing to look for (reported at the position)
    if any(uses_term(q.text, pattern) for q in stating):
        return
    _report(yf.issue(path + ("position",),
                     f"no stating quote of the {what} uses a term of its position '{position.id}' "
                     f"(looked for: {_shown_terms(position.terms)})",
                     "mark the quote that uses one with `states: true`, add the source's own words to the "
                     "position's terms in topics.yaml, or give the editors' reasoning in `reading:`"),
            issues, warnings)


def check_attribution(quote: Quote, org_id: str, yf: YamlFile, path: tuple, issues: list[Issue],
                      warnings: list[str]) -> None:
    """The attribution rule's new halves (the loader already refuses `self` for another
    organization's speaker and non-`self` for the organization's own): a critic names the
    organization it speaks for; an observer speaks for none."""
    if quote.attribution == "critic" and not quote.speaker_org:
        _report(yf.issue(path + ("attribution",),
                         "a critic's quote names the organization the speaker speaks for (`speaker_org`)",
                         "a critic is another organization in the data, or a member writing for it; a speaker "
                         "who speaks for none is an `observer`"), issues, warnings)
    elif quote.attribution == "observer" and quote.speaker_org and quote.speaker_org != org_id:
        _report(yf.issue(path + ("attribution",),
                         f"the speaker speaks for '{quote.speaker_org}', so the quote is `critic`, not `observer`",
                         "another organization's words about this one are `critic`, hostile or favourable; "
                         "an observer has no `speaker_org`"), issues, warnings)


# ---- corrections -----------------------------------------------------------------------------

def check_corrections(corrections: list[tuple[Correction, YamlFile, tuple]], org_ids: set[str],
                      broken_orgs: set[str], positions: Mapping[str, set[str]],
                      stances: Mapping[tuple[str, str], set[str]], issues: list[Issue]) -> None:
    """data/corrections.yaml: organizations and topics exist, a topic is given unless the field
    is `tradition`, and a stance's latest position correction names a position it has now.
    `positions`: each topic's position ids; `stances`: (org, topic) -> the stance's position and
    its counter views' positions. Always errors: the log is public."""
    latest: dict[tuple[str, str], tuple[Correction, YamlFile, tuple]] = {}
    for c, yf, p in corrections:
        if c.organization not in org_ids:
            if c.organization not in broken_orgs:
                issues.append(yf.issue(p + ("organization",), f"unknown organization '{c.organization}'",
                                       _known(org_ids)))
            continue
        if c.topic is None:
            if c.field != "tradition":
                issues.append(yf.issue(p, f"a correction to a stance's {c.field} names its topic (`topic:`)",
                                       "only `field: tradition` omits the topic"))
            continue
        if c.topic not in positions:
            issues.append(yf.issue(p + ("topic",), f"unknown topic '{c.topic}'", _known(positions)))
            continue
        if c.field == "position":
            prev = latest.get((c.organization, c.topic))
            if prev is None or c.date >= prev[0].date:
                latest[(c.organization, c.topic)] = (c, yf, p)
    for key, (c, yf, p) in latest.items():
        now = stances.get(key)
        if now is None:
            continue  # the stance was removed since
        if c.now not in now:
            issues.append(yf.issue(p + ("now",),
                                   f"the latest position correction of {c.organization} on '{c.topic}' "
                                   f"({c.date}) says it is now '{c.now}', but the stance's position is "
                                   f"{' or '.join(repr(x) for x in sorted(now))}",
                                   "`now:` is the position id the stance (or its counter view) has now; "
                                   "log a newer correction if it changed again"))


def _known(ids: Iterable[str]) -> str:
    ids = sorted(ids)
    return f"known: {', '.join(ids[:8])}{', ...' if len(ids) > 8 else ''}" if ids else ""
