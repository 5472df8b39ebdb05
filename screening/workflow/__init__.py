"""The bank workflow: the audit trail of screenings, alerts and analysts' decisions.

- `schema`: the workflow's tables (API keys, customers, runs, screenings, alerts, decisions,
  reviews, users, web sessions).
- `runs`: screening runs (`RunLog`): a batch, transaction batch or re-screening and its counts.
- `screenings`: recording name and transaction screenings (`ScreeningLog`); opens alerts.
- `alerts`: alerts, their derived status and good-guy suppression (`AlertQueue`, `open_alert`).
- `decisions`: analysts' append-only dispositions, four-eyes reviews, export (`DecisionLog`).
- `customers`: the customer book (`CustomerBook`), re-screened when the lists change.
- `recorder`: `Recorder`, one object composing the services above (what the CLI and API use).
- `rescreen`: re-screening the customer book against new list versions; recorded batches.
- `export`: the decision history written to a CSV or JSON Lines file.
- `keys`: API keys for the HTTP service, stored only as SHA-256 hashes.
- `users`: the web UI's users, roles (scrypt password hashes) and login sessions (`Users`).
"""
