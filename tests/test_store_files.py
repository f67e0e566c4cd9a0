"""The listing a clean check compares: the files fact_files lists, each with its stat, kept as one array."""

from __future__ import annotations

import os
from array import array
from pathlib import Path

import pytest

from shenka_cli.core.files import FileIdentity, Listing, scan
from shenka_cli.core.paths import fact_files


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    base = tmp_path / "facts #1"
    base.mkdir()
    for name in ("b.toml", "a.toml", "notes.txt", ".hidden.toml"):
        (base / name).write_text(f"# {name}\n", encoding="utf-8")
    (base / "sub.toml").mkdir()
    (base / "dangling.toml").symlink_to(base / "missing")
    (base / "linked.toml").symlink_to(base / "a.toml")
    return base


def _identity(path: str) -> FileIdentity:
    """A file's identity from its stat, as a clean check compares it."""
    info = os.stat(path)
    return FileIdentity(path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def test_the_listing_is_what_fact_files_lists(directory: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.toml"
    single.write_text("# single\n", encoding="utf-8")
    paths = [directory, single, tmp_path / "absent"]
    listing = scan(paths)
    files, problems = fact_files(paths)
    assert listing.paths == [str(path) for path in files]
    assert listing.problems == problems
    assert [Path(path).name for path in listing.paths] == ["a.toml", "b.toml", "linked.toml", "single.toml"]


def test_each_identity_is_the_files_stat(directory: Path) -> None:
    listing = scan([directory])
    assert listing.identities() == [_identity(path) for path in listing.paths]
    assert listing.latest_mtime_ns() == max(os.stat(path).st_mtime_ns for path in listing.paths)
    assert [listing.mtime_ns(index) for index in range(len(listing.paths))] == [
        os.stat(path).st_mtime_ns for path in listing.paths
    ]


def test_any_change_of_identity_changes_the_stamp(directory: Path) -> None:
    before = scan([directory])
    target = directory / "a.toml"
    info = target.stat()
    target.write_text("# a, edited\n", encoding="utf-8")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert scan([directory]).stamp() != before.stamp()  # the size changed
    copy = directory / "copy"
    copy.write_bytes(target.read_bytes())
    os.replace(copy, target)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    replaced = scan([directory])
    assert replaced.paths == before.paths and replaced.stamp() != before.stamp()  # another inode


def test_the_bundled_files_are_listed_after_the_others(directory: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text("# extra\n", encoding="utf-8")
    listing = scan([directory]).extended([extra])
    assert listing.paths[-1] == str(extra)
    assert listing.identities()[-1] == _identity(str(extra))


def test_paths_that_are_not_utf8_are_kept(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.toml")  # not UTF-8: a surrogate escape in Python
    try:
        (tmp_path / name).write_text("# latin-1 name\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    listing = scan([tmp_path])
    assert listing.paths == [os.path.join(str(tmp_path), name)]
    assert listing.path_bytes().endswith(b"caf\xe9.toml")
    assert Listing(listing.paths, listing.numbers, []).path_bytes() == listing.path_bytes()


def test_a_directory_of_plain_files_is_listed_in_one_pass_as_file_by_file(tmp_path: Path) -> None:
    base = tmp_path / "many"
    base.mkdir()
    for index in (3, 1, 2, 10):
        (base / f"facts-{index}.toml").write_text("#" * index, encoding="utf-8")
    (base / "readme.md").write_text("not a fact file", encoding="utf-8")
    listing = scan([base])
    files, problems = fact_files([base])
    assert listing.paths == [str(path) for path in files] and not listing.problems and not problems
    assert listing.identities() == [_identity(path) for path in listing.paths]
    assert [identity.size for identity in listing.identities()] == [1, 10, 2, 3]  # name order: 1, 10, 2, 3


def test_a_listing_read_back_from_its_bytes_is_the_same(directory: Path) -> None:
    listing = scan([directory])
    back = Listing.from_bytes(listing.path_bytes(), listing.stamp())
    assert back.paths == listing.paths and back.numbers == listing.numbers and back.problems == []
    assert Listing.from_bytes(b"", b"") == Listing([], array("q"), [])
