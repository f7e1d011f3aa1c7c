"""Builds the dishka container: settings decide which adapters are wired."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider

from hypehere.bootstrap.providers import all_providers
from hypehere.bootstrap.settings import Settings


def make_container(settings: Settings, *extra: Provider, web: bool = True) -> AsyncContainer:
    providers: list[Provider] = [*all_providers(settings), *extra]
    if web:
        providers.append(LitestarProvider())
    return make_async_container(*providers, context={Settings: settings})
