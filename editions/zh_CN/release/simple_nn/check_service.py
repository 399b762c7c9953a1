"""Ask your course's check service for the hidden checks' verdict on your notebook.

The last cell of simple_nn.ipynb calls check_with_service(): it sends the
notebook as you last saved it (save it first) to the check service your
course runs, and prints what passes, what fails and why, as the grader will
see it. The service sees only the notebook's file; its checks stay on the
service.

Where the service is, and your token, come from your course, not from code
you edit, in this order:
- the environment variables SIMPLE_NN_CHECK_URL and SIMPLE_NN_CHECK_TOKEN
  (a course's JupyterHub sets them for you);
- a file check_service.json beside the notebook, such as
  {"url": "https://checks.example.edu/simple-nn/", "token": "..."}
  (your instructor hands it out with the URL; add your token to it if you
  were given one; a self-study service needs no token).

You do not need to read this file, and you should not change it.
"""
import datetime
import json
import os
import urllib.error
import urllib.parse
import urllib.request

URL_VARIABLE = "SIMPLE_NN_CHECK_URL"
TOKEN_VARIABLE = "SIMPLE_NN_CHECK_TOKEN"
SETTINGS_FILE = "check_service.json"
# A check can wait behind other students' checks for a while; the service ends it well before this.
TIMEOUT_SECONDS = 600


def say(template, **values):
    """One sentence from its literal template (kept whole so that it can be translated)."""
    return template.format(**values)


def settings(folder="."):
    """(url, token) from the environment, else from check_service.json in `folder`; either may be None."""
    url, token = os.environ.get(URL_VARIABLE) or None, os.environ.get(TOKEN_VARIABLE) or None
    path = os.path.join(folder, SETTINGS_FILE)
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as file:
                found = json.load(file)
        except (OSError, ValueError):
            found = None
        if not isinstance(found, dict):
            raise ValueError(say("{path} is not a JSON object with a url (and a token): ask your instructor "
                                 "for a new one", path=path))
        url = url or found.get("url") or None
        token = token or found.get("token") or None
    return url, token


def send(url, data, name, token=None, language="en", timeout=TIMEOUT_SECONDS):
    """(HTTP status, the service's answer as a dict); raises OSError when the service cannot be reached."""
    query = urllib.parse.urlencode({"name": name, "lang": language})
    headers = {"Content-Type": "application/x-ipynb+json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url.rstrip("/") + "/check?" + query, data=data, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            return error.code, {"error": say("The check service answered {status} {reason}.",
                                             status=error.code, reason=error.reason)}


def check_with_service(notebook="simple_nn.ipynb", url=None, token=None):
    """Print the check service's verdict on `notebook` as saved (or why there is none)."""
    try:
        found_url, found_token = settings(os.path.dirname(notebook) or ".")
    except ValueError as error:
        print(error)
        return
    url, token = url or found_url, token or found_token
    if not url:
        print(say("No check service is set up for you: your instructor sets {variable} (or hands out {file}). "
                  "Until then, the visible checks above are your guide.", variable=URL_VARIABLE,
                  file=SETTINGS_FILE))
        return
    try:
        with open(notebook, "rb") as file:
            data = file.read()
        saved = datetime.datetime.fromtimestamp(os.path.getmtime(notebook))
    except OSError as error:
        print(say("Your notebook {notebook} cannot be read ({why}): run this cell from the notebook's own folder.",
                  notebook=notebook, why=error.strerror or error))
        return
    print(say("Checking {notebook} as saved at {time} (save it first to check your latest work) ...",
              notebook=os.path.basename(notebook), time=saved.strftime("%H:%M:%S")))
    try:
        status, answer = send(url, data, os.path.basename(notebook), token)
    except (OSError, ValueError) as error:
        print(say("The check service at {url} cannot be reached ({why}): try again in a few minutes, or ask "
                  "your instructor.", url=url, why=getattr(error, "reason", error)))
        return
    if status == 200:
        print(answer.get("text", ""))
        left = answer.get("checks_left")
        if left is not None:
            print("\n" + say("You have {left} more checks in this period.", left=left))
    else:
        print(answer.get("error") or say("The check service answered {status}.", status=status))
