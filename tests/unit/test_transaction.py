"""The curation transaction (dashboard/curation/transaction.py) under faults: concurrent add-source
runs with one failing, add-source killed at random points and at every step of its publish,
a full disk, failing writes, a file saved or created while the command runs. Each is bounded in
time and touches only tmp copies of the mini data (and, where the system permits, a small tmpfs).

Each test prints its figures (trials, outcomes) for the record: run with -s to see them."""
from __future__ import annotations

import errno
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from dashboard.curation import transaction
from dashboard.curation import add_source
from dashboard.data import load_store
from dashboard.curation.transaction import Interrupted, Transaction, TransactionError

ROOT = Path(__file__).resolve().parents[2]
TEXT = ("The Gamma Circle holds that the state is a machine of class rule.\n\n"
        "It will not vote for the Democrats, in this election or the next.\n")


def tree(mini: Path) -> dict[str, bytes]:
    """Every file under data/ and seeds/, hidden ones included, with its bytes."""
    out = {}
    for folder in ("data", "seeds"):
        for p in sorted((mini / folder).rglob("*")):
            if p.is_file():
                out[str(p.relative_to(mini))] = p.read_bytes()
    return out


def source_ids(mini: Path) -> list[str]:
    raw = yaml.safe_load((mini / "data" / "sources.yaml").read_text(encoding="utf-8"))
    return [s["id"] for s in raw["sources"]]


def hidden(mini: Path) -> list[str]:
    return [k for k in tree(mini) if Path(k).name.startswith(".")]


def check_whole(mini: Path, before: dict[str, bytes], new_id: str) -> str:
    """data/ and seeds/ (hidden files left aside) are exactly as before, or exactly as before plus
    the new source; the data validates; no seed is unreferenced. Returns "before" or "after"."""
    now = {k: v for k, v in tree(mini).items() if not Path(k).name.startswith(".")}
    load_store(mini / "data", mini / "seeds")
    seed = f"seeds/{new_id}.txt"
    if now == before:
        return "before"
    assert set(now) == set(before) | {seed}, sorted(set(now) ^ set(before))
    assert new_id in source_ids(mini)
    assert now[seed] == TEXT.encode()
    for k in before:
        if k != "data/sources.yaml":
            assert now[k] == before[k], k
    assert now["data/sources.yaml"].startswith(before["data/sources.yaml"])
    return "after"


def cli(mini: Path, src: Path, source_id: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dashboard", "add-source", str(src), "--id", source_id,
            "--author", "Gamma Circle", "--publication", "Gamma pamphlets",
            "--data", str(mini / "data"), "--seeds", str(mini / "seeds"), *extra]


@pytest.fixture
def src(tmp_path: Path) -> Path:
    p = tmp_path / "gamma.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


# ---- concurrency -----------------------------------------------------------------------------------
def fork_cli(argv: list[str], log: Path) -> int:
    """`python -m dashboard ARGV` in a forked child (no interpreter start-up to wait for): its pid.
    Its standard output and error go to `log`."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = open(1, "w", closefd=False)
            sys.stderr = open(2, "w", closefd=False)
            from dashboard.cli import main

            code = main(argv)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    return pid


def wait(pid: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("a command did not finish in time")


def add_args(mini: Path, src: Path, source_id: str, *extra: str) -> list[str]:
    return cli(mini, src, source_id, *extra)[3:]


def test_concurrent_add_source_with_one_failing_lands_every_success_and_nothing_of_the_failure(mini_copy, src,
                                                                                               tmp_path):
    """Four commands started together, one of them invalid (unknown organization), three times over."""
    trials, figures = 3, []
    for trial in range(trials):
        good = [f"gamma-{trial}-{i}" for i in range(3)]
        bad = f"gamma-{trial}-bad"
        order = good[:1] + [bad] + good[1:] if trial % 2 else [bad] + good
        pids = {sid: fork_cli(add_args(mini_copy, src, sid, *(["--organization", "nope"] if sid == bad else [])),
                              tmp_path / f"{sid}.log") for sid in order}
        results = {sid: (wait(pid), (tmp_path / f"{sid}.log").read_text()) for sid, pid in pids.items()}
        ids = source_ids(mini_copy)
        for sid in good:
            rc, log = results[sid]
            assert rc == 0, log
            assert "The data is valid with the new source" in log
            assert sid in ids and (mini_copy / "seeds" / f"{sid}.txt").read_text() == TEXT
        rc, log = results[bad]
        assert rc == 2 and "unknown organization 'nope'" in log and "nothing was written" in log, log
        assert bad not in ids and not (mini_copy / "seeds" / f"{bad}.txt").exists()
        waited = sum("Waiting for another curation command" in r[1] for r in results.values())
        figures.append(f"trial {trial}: 3/3 valid landed, 1/1 invalid left nothing, {waited} waited for the lock")
    load_store(mini_copy / "data", mini_copy / "seeds")
    assert hidden(mini_copy) == []
    assert sorted(p.name for p in (mini_copy / "seeds").iterdir()) == sorted(
        ["alpha.txt", "beta.txt"] + [f"gamma-{t}-{i}.txt" for t in range(trials) for i in range(3)])
    print("\nconcurrent add-source:", "; ".join(figures))


def test_a_command_gives_up_waiting_for_the_lock_and_writes_nothing(mini_copy, src):
    before = tree(mini_copy)
    with Transaction(mini_copy / "data", mini_copy / "seeds"):  # another command holds the lock
        out = io.StringIO()
        with pytest.raises(TransactionError, match="nothing was written"):
            add_source(src, "gamma", mini_copy / "data", mini_copy / "seeds", authors=["G"], publication="P",
                       out=out, lock_wait=0.2)
        assert "Waiting for another curation command" in out.getvalue()
    assert tree(mini_copy) == before


# ---- signals and kills -------------------------------------------------------------------------------
def test_add_source_killed_at_random_points_leaves_the_data_whole(mini_copy, src, tmp_path, monkeypatch):
    """SIGTERM and SIGKILL at random moments of the transaction (uniform over 1.2 x its measured
    length, counted from the moment the command holds the lock)."""
    import select

    entered = Transaction.__enter__
    pipe = {}
    parent = os.getpid()

    def enter_and_tell(self):  # type: ignore[no-untyped-def]
        tx = entered(self)
        if os.getpid() != parent:  # in the forked command: tell the test it holds the lock
            os.write(pipe["w"], b"1")
        return tx

    monkeypatch.setattr(Transaction, "__enter__", enter_and_tell)

    def start(sid: str, log: Path) -> int:
        pipe["r"], pipe["w"] = os.pipe()
        pid = fork_cli(add_args(mini_copy, src, sid), log)
        ready, _, _ = select.select([pipe["r"]], [], [], 30)
        assert ready, "the command never took the lock"
        os.close(pipe["r"])
        os.close(pipe["w"])
        return pid

    t0 = time.monotonic()
    pid = start("gamma-probe", tmp_path / "probe.log")
    t1 = time.monotonic()
    assert wait(pid) == 0
    length = time.monotonic() - t1
    rng = random.Random(18)
    outcomes: dict[str, int] = {}
    trials = 12
    for trial in range(trials):
        sig = signal.SIGTERM if trial % 2 == 0 else signal.SIGKILL
        sid = f"gamma-{trial}"
        before = {k: v for k, v in tree(mini_copy).items() if not Path(k).name.startswith(".")}
        log = tmp_path / f"{sid}.log"
        pid = start(sid, log)
        time.sleep(rng.uniform(0, 1.2) * length)
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
        rc = wait(pid)
        err = log.read_text()
        if sig == signal.SIGTERM:
            state = check_whole(mini_copy, before, sid)
            assert hidden(mini_copy) == [], "a command stopped by SIGTERM removes its own temporary files"
            assert rc in (0, 128 + signal.SIGTERM), err
            if rc:
                assert ("nothing was written" in err) == (state == "before"), err
        else:  # killed between two renames, a new seed may wait unreferenced for the next command
            load_store(mini_copy / "data", mini_copy / "seeds")
        with Transaction(mini_copy / "data", mini_copy / "seeds", io.StringIO()):
            pass  # the next command, under the lock, clears what a SIGKILL left
        assert hidden(mini_copy) == []
        state = check_whole(mini_copy, before, sid)
        assert rc != 0 or state == "after"
        key = f"{sig.name}: {'exit 0' if rc == 0 else f'exit {rc}'} -> {state}"
        outcomes[key] = outcomes.get(key, 0) + 1
    print(f"\nadd-source killed at random ({trials} trials; the transaction takes {length:.2f} s, "
          f"{t1 - t0:.2f} s before it):", outcomes)


class _Crash(BaseException):
    pass


@pytest.mark.parametrize("mode", ["kill", "oserror"])
def test_a_fault_at_every_step_of_the_publish_leaves_the_data_whole(mini_copy, src, mode):
    """A kill (os._exit in a forked child: no clean-up runs) or an OSError at each file operation
    of the publish in turn. (Signals are held during the renames; the random kills above send real ones.)"""
    real = {name: getattr(os, name) for name in ("write", "rename", "link", "replace", "unlink", "fsync")}
    results: dict[str, int] = {}
    step, total = -1, None  # step -1: a run without a fault, to count the operations of a publish
    while total is None or step < total:
        sid = f"gamma-{mode}-{step + 1}"
        before = {k: v for k, v in tree(mini_copy).items() if not Path(k).name.startswith(".")}
        count = [0]

        def faulty(name):  # type: ignore[no-untyped-def]
            def call(*a, **k):  # type: ignore[no-untyped-def]
                count[0] += 1
                if count[0] == step + 1:
                    if mode == "kill":
                        os._exit(137)
                    raise OSError(errno.EIO, "simulated failure", str(a[0]) if a else None)
                return real[name](*a, **k)
            return call

        def commit_with_faults(tx, _commit=Transaction.commit):  # type: ignore[no-untyped-def]
            patched = {n: faulty(n) for n in real}
            for n, f in patched.items():
                setattr(transaction.os, n, f)
            try:
                _commit(tx)
            finally:
                for n, f in real.items():
                    setattr(transaction.os, n, f)

        def run() -> str:
            Transaction.commit, saved = commit_with_faults, Transaction.commit
            try:
                add_source(src, sid, mini_copy / "data", mini_copy / "seeds", authors=["G"], publication="P",
                           out=io.StringIO())
                return "completed"
            except TransactionError as exc:
                assert "nothing was written" in str(exc)
                return "refused"
            except Interrupted as exc:
                return "interrupted, committed" if exc.committed else "interrupted"
            finally:
                Transaction.commit = saved

        if mode == "kill" and step >= 0:
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                try:
                    outcome = run()
                    os._exit(0 if outcome == "completed" else 3)
                except BaseException:
                    os._exit(4)
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            outcome = {0: "completed", 137: "killed"}.get(code, f"exit {code}")
        else:
            outcome = run()
        if mode == "kill" and step >= 0:  # killed between two renames, a new seed may wait unreferenced for the next command
            load_store(mini_copy / "data", mini_copy / "seeds")
        else:
            state = check_whole(mini_copy, before, sid)
        if mode != "kill" or step < 0:
            assert hidden(mini_copy) == []
            assert (state == "after") == (outcome in ("completed", "interrupted, committed")), (step, outcome)
        with Transaction(mini_copy / "data", mini_copy / "seeds", io.StringIO()):
            pass  # recovery
        assert hidden(mini_copy) == []
        if mode == "kill" and step >= 0:
            state = check_whole(mini_copy, before, sid)
        assert check_whole(mini_copy, before, sid) == state
        if total is None:
            assert outcome == "completed" and state == "after"
            total = count[0]
        else:
            results[f"{outcome} -> {state}"] = results.get(f"{outcome} -> {state}", 0) + 1
        step += 1
    assert total >= 8  # seed and sources.yaml written and synced, the seed linked, sources.yaml renamed, folders synced
    print(f"\nfault at each of the {total} file operations of a publish ({mode}):", results)


# ---- disks and files ---------------------------------------------------------------------------------
def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return r.returncode == 0


def test_a_full_disk_leaves_the_data_as_before_and_says_so(mini_copy, tmp_path):
    """On a small tmpfs where the system permits it (filled up, the new seed does not fit);
    in any case with ENOSPC simulated on the writes."""
    big = tmp_path / "long.txt"
    big.write_text(("The Gamma Circle will not vote for the Democrats. " * 20 + "\n\n") * 300, encoding="utf-8")
    kinds = []
    mount = tmp_path / "small-disk"
    if _mount_tmpfs(mount, "512k"):
        try:
            import shutil

            shutil.copytree(mini_copy, mount / "mini")
            target = mount / "mini"
            filler = mount / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill the disk, then leave 64 KB: less than the seed needs
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fd)
            os.truncate(filler, max(0, filler.stat().st_size - 64 * 1024))
            before = tree(target)
            with pytest.raises(TransactionError, match="the disk is full.*nothing was written"):
                add_source(big, "gamma-long", target / "data", target / "seeds", title="Long", authors=["G"], publication="P",
                           out=io.StringIO())
            assert tree(target) == before
            filler.unlink()
            add_source(big, "gamma-long", target / "data", target / "seeds", title="Long", authors=["G"], publication="P",
                       out=io.StringIO())  # once there is room, the same command succeeds
            assert "gamma-long" in source_ids(target) and hidden(target) == []
            kinds.append("tmpfs 512k")
        finally:
            subprocess.run(["umount", str(mount)], capture_output=True)
    # simulated: every write past the first 16 KB fails with ENOSPC
    before = tree(mini_copy)
    real_write = os.write
    written = [0]

    def write(fd, data):  # type: ignore[no-untyped-def]
        if written[0] + len(data) > 16 * 1024:
            raise OSError(errno.ENOSPC, "No space left on device")
        written[0] += len(data)
        return real_write(fd, data)

    transaction.os.write = write
    try:
        with pytest.raises(TransactionError, match="the disk is full"):
            add_source(big, "gamma-long", mini_copy / "data", mini_copy / "seeds", title="Long", authors=["G"],
                       publication="P",
                       out=io.StringIO())
    finally:
        transaction.os.write = real_write
    assert tree(mini_copy) == before
    kinds.append("simulated ENOSPC")
    print("\nfull disk:", ", ".join(kinds), "-> refused, data/ and seeds/ byte for byte as before")


def test_a_file_saved_or_created_while_the_command_runs_is_never_overwritten(mini_copy):
    """sources.yaml saved in an editor after it was read, or the new seed created meanwhile: the
    commit refuses, the other writer's bytes stay, and nothing of the command is left."""
    data, seeds = mini_copy / "data", mini_copy / "seeds"
    sources, seed = data / "sources.yaml", seeds / "gamma.txt"
    original = sources.read_bytes()
    for race in ("saved", "created"):
        with Transaction(data, seeds, io.StringIO()) as tx:
            tx.stage(seed, TEXT.encode())
            tx.stage(sources, original + b"# the command's entry\n", original)
            (sources.write_bytes(original + b"# the editor's\n") if race == "saved" else seed.write_text("theirs"))
            with pytest.raises(TransactionError, match="changed while|appeared while"):
                tx.commit()
        assert sources.read_bytes() == (original + b"# the editor's\n" if race == "saved" else original)
        assert (seed.read_text() == "theirs") if race == "created" else not seed.exists()
        assert hidden(mini_copy) == []
        sources.write_bytes(original)
        seed.unlink(missing_ok=True)
