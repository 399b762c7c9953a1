"""deploy-check makes its roots from the Debian archive the machine's own apt uses."""
import pytest

from deploy import roots


def test_the_archive_is_read_from_a_deb822_sources_file(tmp_path):
    """Is the URI of the stanza of type deb for Debian's main archive taken, not the security one or a comment?"""
    (tmp_path / "debian.sources").write_text(
        "Types: deb\n# URIs: http://old.example/debian\nURIs: http://mirror.example/debian\nSuites: bookworm\n\n"
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n")
    assert roots.mirror(tmp_path, tmp_path / "none") == "http://mirror.example/debian"


def test_the_archive_is_read_from_a_one_line_sources_list(tmp_path):
    """Without .sources files, is the first `deb` line's archive taken, options in brackets skipped?"""
    listing = tmp_path / "sources.list"
    listing.write_text("# deb http://old.example/debian bookworm main\n"
                       "deb [signed-by=/k.gpg] http://local.example/debian/ bookworm main\n")
    assert roots.mirror(tmp_path / "none", listing) == "http://local.example/debian/"


def test_no_archive_is_one_clear_line(tmp_path):
    with pytest.raises(SystemExit, match="names no Debian archive"):
        roots.mirror(tmp_path, tmp_path / "none")
