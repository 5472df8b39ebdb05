"""Batch screening: tabular files in, one record per row out, through one runner.

- `inputs`: reading any CSV a bank exports (encoding and delimiter sniffed, header, row
  problems kept as rows, a row size limit of its own) and finding columns by name.
- `runner`: the one loop every batch runs through: rows → a row screener → a sink, in order,
  with progress, and one `BatchSummary` counting whatever decisions the row screener makes.
- `writers`: JSONL and CSV output (the input columns plus added ones, formula-escaped),
  written atomically.
- `names`: name screening of a party file (`run_batch`, `screen_rows`).
- `transactions`: transaction files (CSV, JSONL, JSON) and their batch (`run_tx_batch`).
- `payments`: payment-message files (ISO 20022, SWIFT MT) and their batch
  (`run_payments_batch`, `screen_payment`).
- `workers`: the runner's rows spread over forked worker processes sharing the loaded index,
  results back in input order; `checkpoint`: resumable output (`--resume`).
- `spark`, `spark_run`: the same row screeners on Apache Spark (`screen_names`,
  `screen_transactions`, `coalition batch --engine spark`); needs the ``spark`` extra.
- `errors`: what stops a batch as a whole, before any output exists.

Recorded batch runs (`screening.workflow.rescreen.record_batch`) use the same runner with the
workflow recorder as their sink.
"""
