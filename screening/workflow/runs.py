"""Screening runs: one batch, transaction batch or re-screening, its list versions and counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from screening.store import ListStore
from screening.workflow.schema import ScreeningRecord, ScreeningRun, utc_now


class RunLog:
    """Starts, finishes and finds runs. Every call uses its own session."""

    def __init__(self, store: ListStore) -> None:
        self.store = store
        self.engine = store.engine

    def start_run(self, kind: str, *, input_name: str | None, requested_by: str) -> int:
        """A batch, transaction batch or rescreen run; its list versions are the active ones."""
        versions = [v.id for v in self.store.active_versions()]
        with Session(self.engine) as session, session.begin():
            run = ScreeningRun(
                kind=kind,
                started_at=utc_now(),
                input_name=input_name,
                requested_by=requested_by,
                list_versions=versions,
                counts={},
            )
            session.add(run)
            session.flush()
            return run.id

    def finish_run(
        self, run_id: int, counts: dict[str, Any], list_versions: list[int] | None = None
    ) -> None:
        """Stamp the end, the counts and (when given) the versions the run really used."""
        with Session(self.engine) as session, session.begin():
            run = session.get(ScreeningRun, run_id)
            if run is None:
                raise ValueError(f"no screening run {run_id}")
            run.finished_at = utc_now()
            run.counts = counts
            if list_versions is not None:
                run.list_versions = list_versions

    def last_run(self, kind: str) -> tuple[int, list[int]] | None:
        """The newest finished run of a kind: (id, list version ids it ran against)."""
        query = (
            select(ScreeningRun.id, ScreeningRun.list_versions)
            .where(ScreeningRun.kind == kind, ScreeningRun.finished_at.is_not(None))
            .order_by(ScreeningRun.id.desc())
            .limit(1)
        )
        with Session(self.engine) as session:
            row = session.execute(query).first()
            return (row[0], list(row[1])) if row else None

    def interrupted_run(self, kind: str) -> tuple[int, list[int]] | None:
        """The newest run of a kind if it never finished (a killed process): (id, versions).

        Only a run newer than every finished run of its kind counts: an older unfinished one
        was superseded by the run that finished after it.
        """
        query = (
            select(ScreeningRun.id, ScreeningRun.list_versions, ScreeningRun.finished_at)
            .where(ScreeningRun.kind == kind)
            .order_by(ScreeningRun.id.desc())
            .limit(1)
        )
        with Session(self.engine) as session:
            row = session.execute(query).first()
            if row is None or row[2] is not None:
                return None
            return row[0], list(row[1])

    def screened_customers(self, run_id: int) -> set[str]:
        """The customer references a run has recorded a screening for so far."""
        query = select(ScreeningRecord.customer_ref).where(
            ScreeningRecord.run_id == run_id, ScreeningRecord.customer_ref.is_not(None)
        )
        with Session(self.engine) as session:
            return {ref for ref in session.scalars(query) if ref is not None}
