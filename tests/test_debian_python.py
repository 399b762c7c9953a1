"""Debian's and Ubuntu's python3 (the one a Gradescope image has) differ from
upstream's in ways grading must survive."""
from autograder.sandbox import box


def test_site_folders_that_do_not_exist_are_skipped():
    """Does the grader, run as root, still decide whether another uid can run Python when
    site.getsitepackages() names folders a venv lacks (Debian's names venv/lib/python3/dist-packages)?"""
    assert box._reachable_by_anyone(["/usr/lib", "/usr/lib/no-such-folder/dist-packages"])
