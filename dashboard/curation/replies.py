"""`add-reply`: an organization's reply to one of its stances into data/replies.yaml, checked and
atomic like `add-source` (transaction.py): under the lock the new file is staged, the whole data
validated with it, and published only if it brings no new problem. The reply's words must
already be a source (`add-source` a published text, or a statement sent to the editors, with its
provenance in the source's notes); its quotes are proved verbatim there by the validator."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from ..data import DataError, load_store
from ..data.errors import display_path
from ..data.replies import Reply, correction_key
from ..data.yamlfile import DEFAULT_MAX_BYTES
from . import CurationError, _as_real, _issue_keys, _read_limited, _validate, yaml_scalar
from .transaction import LOCK_WAIT_SECONDS, Interrupted, Transaction

HEADER = "# Organizations' replies to their stances (docs/data-format.md, \"Replies\").\nreplies:\n"


@dataclass
class ReplyAdded:
    replies_file: Path
    line: int
    entry_text: str


def reply_lines(r: Reply) -> list[str]:
    """The entry as YAML lines, in the documented order."""
    lines = [f"  - date: {yaml_scalar(r.date)}", f"    organization: {r.organization}", f"    topic: {r.topic}",
             f"    source: {r.source}", "    quotes:"]
    for q in r.quotes:
        lines += [f"      - text: {yaml_scalar(q.text)}", f"        speaker: {yaml_scalar(q.speaker)}"]
    lines.append(f"    answer: {r.answer}")
    if r.correction:
        lines.append(f"    correction: {r.correction}")
    if r.reason:
        lines.append(f"    reason: {yaml_scalar(r.reason)}")
    return lines


def _corrections_of(data_dir: Path, seeds_dir: Path, org: str, topic: str, limit: int) -> str:
    """The stance's corrections with their keys, for a curator who must name one."""
    try:
        store = load_store(data_dir, seeds_dir, limit)
    except DataError:
        return "; the data does not validate, so they cannot be listed: run python -m dashboard validate"
    cs = store.corrections_for(org, topic)
    if not cs:
        return "; this stance has none in data/corrections.yaml yet"
    return "; the corrections of this stance:" + "".join(
        f"\n  {correction_key(c)}  {c.date}  {c.field}: {' '.join(c.now.split())[:70]}" for c in cs)


def add_reply(data_dir: Path, seeds_dir: Path, *, organization: str, topic: str, source: str, date: str,
              quotes: list[str], speaker: str, answer: str, correction: str | None = None,
              reason: str | None = None, dry_run: bool = False, out: TextIO,
              max_file_bytes: int = DEFAULT_MAX_BYTES, lock_wait: float = LOCK_WAIT_SECONDS) -> ReplyAdded | None:
    """Append the reply to data/replies.yaml (created if absent), or refuse (CurationError or
    TransactionError, nothing written) a reply that does not validate: an unknown stance or
    source, a quote not verbatim in the source, a `corrected` answer naming no correction of the
    stance (the stance's corrections are listed), a `kept` one without a reason."""
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    if not data_dir.is_dir():
        raise CurationError(f"{display_path(data_dir)} does not exist (is --data right?)")
    try:
        reply = Reply.model_validate({"date": date, "organization": organization, "topic": topic, "source": source,
                                      "quotes": [{"text": q, "speaker": speaker} for q in quotes],
                                      "answer": answer, "correction": correction, "reason": reason})
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CurationError(f"the reply would not be valid: {msgs}\nnothing was written") from None
    if answer == "corrected" and not correction:
        raise CurationError("an answer 'corrected' names its correction: --correction KEY"
                            + _corrections_of(data_dir, seeds_dir, organization, topic, max_file_bytes)
                            + "\nnothing was written")
    replies_file = data_dir / "replies.yaml"
    tx = Transaction(data_dir, seeds_dir, out, lock_wait)
    try:
        with tx:
            original = _read_limited(replies_file, max_file_bytes) if os.path.lexists(replies_file) else None
            text = original.decode("utf-8") if original is not None else HEADER
            prefix = "" if text.endswith("\n") else "\n"
            body = "\n".join(reply_lines(reply)) + "\n"
            line = text.count("\n") + (1 if prefix else 0) + 1
            if dry_run:
                out.write(f"Would add to {display_path(replies_file)}:\n{body}(dry run: nothing was written)\n")
                return None
            before = _validate(data_dir, seeds_dir, max_file_bytes)
            tx.stage(replies_file, (text + prefix + body).encode("utf-8"), original)
            staged_data, staged_seeds = tx.staged_tree()
            after = _as_real(_validate(staged_data, staged_seeds, max_file_bytes),
                             ((staged_data, data_dir), (staged_seeds, seeds_dir)))
            new = [i for i in after if (i.file, i.message) not in _issue_keys(before)]
            if new:
                raise CurationError("the reply does not validate, so nothing was written:\n"
                                    + "\n".join(i.format() for i in new))
            tx.commit()
    except Interrupted as exc:
        exc.committed = tx.committed  # type: ignore[attr-defined]
        raise
    out.write(f"Added to {display_path(replies_file)} at line {line}:\n{body}")
    out.write("The data is valid with the reply.\n" if not before else
              f"note: the data already had {len(before)} problem(s) unrelated to this reply.\n")
    return ReplyAdded(replies_file, line, body)
