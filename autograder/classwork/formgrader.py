"""formgrader's pages, rendered with no network: where its templates are looked up.

formgrader renders each submission with nbconvert's templates, whose MathJax
comes from a CDN; on a course server that is offline or firewalled every
formula stays raw `$x$`. The course's nbgrader_config.py puts the kit's
template folder first (templates/formgrade/mathjax.html.j2 loads the MathJax
that the jupyter-server-mathjax package serves from the same Jupyter server),
then formgrader's own. Entry point: `template_basedirs()`.
"""
import importlib.util
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Where nbgrader keeps formgrader's templates, inside its package.
NBGRADER_TEMPLATES = ("server_extensions", "formgrader", "templates")


def template_basedirs():
    """HTMLExporter.extra_template_basedirs for formgrader: the kit's, then formgrader's own.
    (Found without importing nbgrader, which this course's every command would then pay for.)"""
    nbgrader = importlib.util.find_spec("nbgrader")
    if nbgrader is None or not nbgrader.submodule_search_locations:
        return [str(TEMPLATES)]
    return [str(TEMPLATES), str(Path(list(nbgrader.submodule_search_locations)[0]).joinpath(*NBGRADER_TEMPLATES))]
