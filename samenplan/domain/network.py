"""Rules of the network map: what support someone gives or could give. Pure."""
from __future__ import annotations

from collections.abc import Iterable

from samenplan.domain.vocabulary import SupportKind


class UnknownSupport(ValueError):
    """A support kind that is not one of `SupportKind`'s codes (a tampered form)."""


def support_codes(values: Iterable[str]) -> list[str]:
    """`values` as a list of support codes in the vocabulary's order, each once; UnknownSupport
    for anything that is not a code."""
    chosen = set()
    for value in values:
        member = SupportKind.parse(value)
        if member is None:
            raise UnknownSupport(value)
        chosen.add(member)
    return [member.value for member in SupportKind if member in chosen]


def split_support(gives_now: Iterable[str], could_give: Iterable[str]) -> tuple[list[str], list[str]]:
    """What is given now, and what could be given besides: a kind given now is not also
    listed as "could give"."""
    now = support_codes(gives_now)
    could = [code for code in support_codes(could_give) if code not in now]
    return now, could
