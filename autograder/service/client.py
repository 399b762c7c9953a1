"""`python -m autograder check --server URL [--token T] NOTEBOOK`: the
service's verdict, printed as a local `check` prints it.

The notebook is sent as it is on disk, under the name it was given here,
so the first line of the table reads as the local one does.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from ..language import say

TOKEN_VARIABLE = "SIMPLE_NN_CHECK_TOKEN"
# A check waits in line behind others and takes seconds; the service's own limits end it well before this.
TIMEOUT_SECONDS = 600
GRADED, FAILED, BAD_INPUT, REFUSED = 0, 1, 2, 4


def request(url, data, name, token=None, language="en", timeout=TIMEOUT_SECONDS):
    """(HTTP status, answer document) from the service at `url`; raises OSError when it cannot be reached."""
    query = urllib.parse.urlencode({"name": name, "lang": language})
    headers = {"Content-Type": "application/x-ipynb+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    message = urllib.request.Request(url.rstrip("/") + "/check?" + query, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(message, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            return error.code, {"error": str(say("the service answered {status} {reason}", status=error.code,
                                                 reason=error.reason))}


def check(url, notebook, token=None):
    """Print the verdict (or why there is none); the exit status."""
    token = token or os.environ.get(TOKEN_VARIABLE) or None
    try:
        with open(notebook, "rb") as file:
            data = file.read()
    except OSError as error:
        print(say("error: {notebook}: cannot be read ({why})", notebook=notebook, why=error.strerror or error),
              file=sys.stderr)
        return BAD_INPUT
    try:
        status, document = request(url, data, notebook, token)
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        print(say("error: the check service at {url} cannot be reached ({why})", url=url, why=reason),
              file=sys.stderr)
        return FAILED
    if status == 200:
        print(document["text"])
        return GRADED
    print(say("error: {why}", why=document.get("error", status)), file=sys.stderr)
    if status in (401, 403, 429, 503):
        return REFUSED
    return BAD_INPUT if 400 <= status < 500 else FAILED
