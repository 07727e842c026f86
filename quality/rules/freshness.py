"""Freshness: every partner feed has an expected cadence; a feed that misses it is stale."""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, coalesce

__all__ = ["RULES", "feed_status"]


def feed_status(events: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """Last event, expected cadence and allowed age per (partner_id, feed).

    Feeds configured in ``partner_cadence_days`` but never seen appear with ``last`` NaT.
    """
    keys = {"partner_id": object, "feed": object}  # text, also when there are no events
    last = (
        events.astype(keys)
        .groupby(["partner_id", "feed"], as_index=False, sort=False)
        .agg(last=("at", "max"))
    )
    expected = pd.DataFrame(
        [key.split("/", 1) for key in ctx.config.partner_cadence_days],
        columns=["partner_id", "feed"],
    )
    status = last.merge(expected, on=["partner_id", "feed"], how="outer")
    # One lookup per feed, not per event: there are few feeds and many events.
    status["cadence_days"] = [
        ctx.config.cadence(p, f) for p, f in zip(status["partner_id"], status["feed"], strict=True)
    ]
    status = status.dropna(subset=["cadence_days"])
    status["segment_id"] = None
    status["supplier_id"] = ctx.as_supplier(status["partner_id"])
    grace = ctx.threshold("stale_grace", status)
    status["allowed_days"] = status["cadence_days"].astype("float64") * (1 + grace)
    result: pd.DataFrame = status
    return result


def stale_feed(ctx: RuleContext) -> pd.DataFrame:
    status = feed_status(ctx.frames.feed_events(), ctx)
    now = ctx.now_utc
    age_days = (now - status["last"]).dt.total_seconds() / 86400
    bad = status[age_days.isna() | (age_days > status["allowed_days"])]
    return pd.DataFrame({
        "doc_type": "feed", "doc_key": bad["partner_id"], "line": bad["feed"],
        "segment_id": None, "supplier_id": bad["supplier_id"], "feed": bad["feed"],
        "last_seen": coalesce(bad["last"].dt.strftime("%Y-%m-%d %H:%M"), "never"),
        "age_days": age_days[bad.index].round(1), "cadence_days": bad["cadence_days"],
        "allowed_days": bad["allowed_days"].round(1),
    })  # fmt: skip


RULES = (
    Rule("FEED_STALE", Severity.CRITICAL, "A partner feed missed its expected cadence.",
         "Feed {feed} from {subject.key} last delivered {last_seen} ({age_days} days ago); "
         "expected every {cadence_days} days, allowed {allowed_days}", stale_feed,
         ("feed", "last_seen", "age_days", "cadence_days", "allowed_days"),
         ("stale_grace",), scope="feed"),
)  # fmt: skip
