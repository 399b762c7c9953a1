"""python -m editions update | build | check (see editions/__init__.py)."""
import sys

from . import KIT, Untranslated, languages, problems, update, write_edition

USAGE = "usage: python -m editions update | build | check"


def main(argv):
    if argv == ["update"]:
        for language in languages():
            print(update(language).relative_to(KIT))
        return 0
    if argv == ["build"]:
        try:
            for language in languages():
                for path in write_edition(language):
                    print(path.relative_to(KIT))
        except Untranslated as error:
            print(f"editions: {error}", file=sys.stderr)
            return 1
        return 0
    if argv == ["check"]:
        found = [f"{language}: {problem}" for language in languages() for problem in problems(language)]
        print("\n".join(found) if found else "every edition's catalogue matches the English source")
        return 1 if found else 0
    print(USAGE, file=sys.stderr)
    return 2


sys.exit(main(sys.argv[1:]))
