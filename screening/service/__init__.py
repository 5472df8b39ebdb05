"""The HTTP service: `create_app` (app.py) over one router per area (routers/).

Layering: the service calls the library (matching, coalition, workflow, store) and renders
JSON; it never imports the command line.
"""
