"""The check service: the hidden checks' verdict on demand, over HTTP, without
shipping the checks.

A server (app, on uvicorn) takes a notebook from a student (token) or a
self-study learner (anonymous, per address), within their rate limit, grades
it on warm worker processes beside it (embedded) or on Celery workers on any
number of machines (distributed), answers with what `check` prints and what
`grade --json` writes, and records every attempt (attempts). Entry points:
`python -m autograder serve` (serve.main), `python -m autograder worker`
(distributed.work), and the client, `check --server` (client.check).
"""
