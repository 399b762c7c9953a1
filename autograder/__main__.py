import sys

from .cli import main

if __name__ == "__main__":  # not when a process pool re-imports the main module
    try:
        sys.exit(main())
    except BrokenPipeError:  # `... | head`: the reader left; not an error worth a traceback
        sys.stderr.close()
        sys.exit(0)
