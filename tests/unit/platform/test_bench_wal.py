"""bench/wal.py's reading of PostgreSQL's WAL positions and segment file names."""

from __future__ import annotations

from types import SimpleNamespace

from bench.wal import WalPosition, is_postgres


def _position(lsn: str, current: str, files: int = 3, ahead: int = 1) -> WalPosition:
    return WalPosition(SimpleNamespace(lsn=lsn, current=current, files=files, ahead=ahead))


def test_lsn_is_read_as_a_byte_offset() -> None:
    assert _position("0/0", "000000010000000000000000").offset == 0
    assert _position("16/B374D848", "0000000100000016000000B3").offset == (0x16 << 32) + 0xB374D848


def test_segment_numbers_continue_across_log_files() -> None:
    # 16 MB segments: 256 to a 4 GB "log"; the file name is timeline, log, segment.
    last_of_log = _position("0/FF000000", "0000000100000000000000FF")
    first_of_next = _position("1/0", "000000010000000100000000")
    assert first_of_next.segment - last_of_log.segment == 1
    assert (first_of_next.offset - last_of_log.offset) == 16 * 1024 * 1024


def test_only_postgresql_urls_are_measured() -> None:
    assert is_postgres("postgresql+asyncpg://postgres@127.0.0.1:5432/bench")
    assert not is_postgres("sqlite+aiosqlite:///tmp/x.sqlite3")
    assert not is_postgres(None)
