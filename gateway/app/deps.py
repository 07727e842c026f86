"""FastAPI dependencies: the session factory and settings of the running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.settings import Settings


def get_sessions(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions  # type: ignore[no-any-return]


def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


Sessions = Annotated[sessionmaker[Session], Depends(get_sessions)]
DbEngine = Annotated[Engine, Depends(get_engine)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
