"""The bank's customer book: the parties re-screened when the lists change.

A customer joins by registration (a CSV file, the API) or by being screened with a customer
reference (`refresh_from_screening`); either way a later registration or screening brings its
details up to date and keeps the first registration's origin and time.

Joining is one ``INSERT ... ON CONFLICT (customer_ref) DO NOTHING`` followed, when the
reference was already there, by an UPDATE: two requests registering or screening the same new
reference at once both succeed (the database serialises them on the unique reference), where a
look-up followed by an INSERT would fail the second with a unique-constraint error and lose its
screening. SQLite and PostgreSQL, the two databases the migrations support, both have it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from screening.matching.results import Query
from screening.workflow.schema import Customer, utc_now


class CustomerInfo(BaseModel):
    customer_ref: str
    name: str
    schema_: str | None = None
    country: str | None = None
    birth_date: str | None = None
    registered_from: str
    active: bool = True

    def query(self) -> Query:
        """The name query that screens this customer."""
        return Query.model_validate(
            {
                "name": self.name,
                "type": self.schema_,
                "country": self.country,
                "birth_date": self.birth_date,
            }
        )


class CustomerBook:
    """Registers and lists customers. Every call uses its own session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def register_customer(self, customer: CustomerInfo) -> bool:
        """Insert or update a customer by reference; returns True when it is new.

        An update keeps the first registration's origin and time.
        """
        details = {
            "name": customer.name,
            "schema": customer.schema_,
            "country": customer.country,
            "birth_date": customer.birth_date,
            "active": customer.active,
        }
        with Session(self.engine) as session, session.begin():
            return join_or_update(session, customer.customer_ref, customer.registered_from, details)

    def customers(self, *, active_only: bool = True) -> list[CustomerInfo]:
        """The book, by reference; inactive customers only when asked."""
        query = select(Customer).order_by(Customer.customer_ref)
        if active_only:
            query = query.where(Customer.active.is_(True))
        with Session(self.engine) as session:
            return [
                CustomerInfo(
                    customer_ref=row.customer_ref,
                    name=row.name,
                    schema_=row.schema,
                    country=row.country,
                    birth_date=row.birth_date,
                    registered_from=row.registered_from,
                    active=row.active,
                )
                for row in session.scalars(query)
            ]


def refresh_from_screening(session: Session, customer_ref: str, query: Query) -> None:
    """A screened party joins the book, or its details are brought up to date."""
    details = {
        "name": query.name,
        "schema": query.schema_.value if query.schema_ else None,
        "country": query.country,
        "birth_date": query.birth_date,
    }
    join_or_update(session, customer_ref, "screening", details)


# The dialects' INSERT constructs with ON CONFLICT; sqlalchemy has no portable one.
_INSERTS: dict[str, Callable[..., Any]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def join_or_update(
    session: Session, customer_ref: str, registered_from: str, details: dict[str, Any]
) -> bool:
    """Add the customer `customer_ref` with `details`, or update its `details` if it exists;
    True when it was added. Safe against a concurrent insert of the same reference.

    A new customer is active unless `details` says otherwise; an existing one keeps its
    origin, registration time (and activity, unless `details` sets it).
    """
    dialect = session.get_bind().dialect.name
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise NotImplementedError(f"the customer book needs SQLite or PostgreSQL, not {dialect}")
    new_row = {
        "customer_ref": customer_ref,
        "registered_from": registered_from,
        "registered_at": utc_now(),
        "active": True,
        **details,
    }
    # On PostgreSQL, DO NOTHING waits for a concurrent insert of the same reference to commit
    # (then inserts nothing); on SQLite the write lock serialises the two transactions.
    added = session.scalar(
        insert(Customer)
        .values(new_row)
        .on_conflict_do_nothing(index_elements=[Customer.customer_ref])
        .returning(Customer.id)
    )
    if added is None:
        session.execute(
            update(Customer).where(Customer.customer_ref == customer_ref).values(details)
        )
    return added is not None
