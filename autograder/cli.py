"""`python -m autograder`: a thin command line over the kit's verbs."""
import argparse
import sys


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)
    verbs.add_parser("demo", help="regenerate the release and run the solution notebook")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.verb == "demo":
        from . import demo
        return demo.main()
    return 2


if __name__ == "__main__":
    sys.exit(main())
