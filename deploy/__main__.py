"""`make deploy-check`: the kit tried where it is deployed, not where it is developed.

- pins: the whole pinned set resolves on every supported Python (the registry's metadata);
- the Gradescope bundle in pristine Debian roots made with debootstrap: Debian 12
  with its python3 (3.11.2), Debian 13 with its python3 (3.13), and a root with no
  Python, where setup.sh must install one; in each, setup.sh for real and
  run_autograder on a correct, a wrong, an unreadable and a cheating submission,
  each results.json compared with `grade --json` on the same notebook here;
  and the root with no Python, its package sources removed: setup.sh must stop
  with one line;
- a fresh clone's `make demo` and `make test` with the system Python
  (/usr/bin/python3; skip with --no-clone: they take several minutes).

Needs root, Debian's mirror and the package registries. Exit status 0 when
every part holds, 1 when one does not (what differs is printed).
"""
import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from autograder import gradescope

from . import bundle, clone, pins, roots


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-clone", action="store_true", help="skip the fresh clone's make demo and make test")
    parser.add_argument("--no-roots", action="store_true", help="skip the bundle in the Debian roots")
    parser.add_argument("--python", default="/usr/bin/python3", help="the system Python for the fresh clone")
    parser.add_argument("--root", action="append", choices=[base.name for base in roots.BASES],
                        help="only these roots (default: all)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        roots.require_tools()
        print(pins.check(), flush=True)
        with tempfile.TemporaryDirectory(prefix="deploy-") as folder:
            zip_path = gradescope.build(folder)
            cases = bundle.submissions()
            answers = {kind: bundle.expected(notebook, Path(folder)) for kind, (_, notebook) in cases.items()}
            print(f"bundle: {zip_path.name}, {len(_names(zip_path))} files; the submissions (samples/corpus.py):")
            print("\n".join(f"  {kind:<15} {description}" for kind, (description, _) in cases.items()), flush=True)
            for base in roots.BASES:
                if args.no_roots or (args.root and base.name not in args.root):
                    continue
                print("\n".join(bundle.check(base, zip_path, cases, answers)), flush=True)
                if not base.packages:
                    print("\n".join(bundle.check_refusal(base, zip_path)), flush=True)
        if not args.no_clone:
            print("\n".join(clone.check(args.python)), flush=True)
    except roots.DeployError as error:
        print(f"deploy check FAILED: {error}", file=sys.stderr)
        return 1
    print(f"deploy check passed in {time.monotonic() - started:.0f} s")
    return 0


def _names(zip_path):
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


if __name__ == "__main__":
    sys.exit(main())
