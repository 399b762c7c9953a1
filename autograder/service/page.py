"""The upload page: choose a notebook, check it, read the verdict.

Its sentences are made with say() and HTML-escaped here; its script (one
static file, no inline code, so the page can forbid every other script)
sends the file to POST check and shows the answer's text or error.
"""
import html

from ..language import say

# The page runs only its own script, loads nothing from elsewhere, and cannot be framed.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
                               "connect-src 'self'; frame-ancestors 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

SCRIPT = """\
"use strict";
const form = document.getElementById("check");
const verdict = document.getElementById("verdict");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = document.getElementById("notebook").files[0];
  if (!file) { verdict.textContent = verdict.dataset.choose; return; }
  const token = document.getElementById("token").value.trim();
  const headers = {"Content-Type": "application/x-ipynb+json"};
  if (token) headers["Authorization"] = "Bearer " + token;
  verdict.textContent = verdict.dataset.checking;
  verdict.className = "waiting";
  try {
    const response = await fetch("check?name=" + encodeURIComponent(file.name) + "&lang=" +
                                 encodeURIComponent(document.documentElement.lang),
                                 {method: "POST", headers: headers, body: file});
    const answer = await response.json();
    verdict.textContent = answer.text || answer.error;
    verdict.className = response.ok ? "graded" : "refused";
  } catch (error) {
    verdict.textContent = verdict.dataset.unreachable;
    verdict.className = "refused";
  }
});
"""

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.4}"
          "label{display:block;margin:.8em 0 .2em}input[type=password]{width:24em}"
          "button{margin-top:1em;padding:.4em 1.2em}"
          "pre{background:#f6f6f6;padding:1em;white-space:pre;overflow-x:auto;min-height:3em}"
          ".refused{border-left:4px solid #c44e52}.graded{border-left:4px solid #4c72b0}")


def _e(message):
    return html.escape(str(message), quote=True)


def html_page(settings):
    e = _e
    token_hint = say("Your token, from your instructor.") if settings.anonymous is None else say(
        "Your token, from your instructor (leave it empty to check without one).")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(say("Check your notebook"))}</title>
<style>{_STYLE}</style>
<script src="page.js" defer></script>
</head>
<body>
<h1>{e(say("Check your notebook"))}</h1>
<p>{e(say("Choose your saved notebook: the hidden checks run on it and say what passes, what fails and why. "
          "The page sends only the notebook's file."))}</p>
<form id="check">
<label for="token">{e(token_hint)}</label>
<input type="password" id="token" name="token" autocomplete="current-password">
<label for="notebook">{e(say("Your notebook (.ipynb)"))}</label>
<input type="file" id="notebook" name="notebook" accept=".ipynb,application/x-ipynb+json">
<div><button type="submit" id="submit">{e(say("Check"))}</button></div>
</form>
<pre id="verdict" aria-live="polite"
 data-choose="{e(say("Choose a notebook first."))}"
 data-checking="{e(say("Checking your notebook: this takes a few seconds."))}"
 data-unreachable="{e(say("The check service cannot be reached: check your connection and try again."))}"></pre>
</body>
</html>
"""
