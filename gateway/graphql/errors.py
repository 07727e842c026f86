"""Typed errors mutations return (in a union with their result), never raise.

UserError (interface: message, code)
├── NotFound           the record does not exist or is outside the caller's scope
├── Forbidden          the caller may not do this at all (also written to the audit log)
├── InvalidInput       an argument is wrong: ``field`` names it
└── NotAllowedInState  the record's state does not allow the move (e.g. resolve a waived
                       finding, replay a delivery that is not a dead letter)
"""

from __future__ import annotations

import strawberry


@strawberry.interface(description="Why a mutation did nothing.")
class UserError:
    message: str
    code: str = strawberry.field(description="Stable, machine-readable reason.")


@strawberry.type
class NotFound(UserError):
    pass


@strawberry.type
class Forbidden(UserError):
    pass


@strawberry.type
class InvalidInput(UserError):
    field: str = strawberry.field(description="The argument at fault, e.g. input.reviewCycleDays.")


@strawberry.type
class NotAllowedInState(UserError):
    pass


def invalid(field: str, message: str, code: str = "input.invalid") -> InvalidInput:
    return InvalidInput(message=message, code=code, field=field)
