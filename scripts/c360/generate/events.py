"""Product events (Segment/RudderStack spec), generated one day at a time, vectorised.

Every message is first built as an *intermediate* row (true instants as epoch
seconds, device kind, zone, consent, ids, JSON payloads) and then rendered to
the spec's columns in one place, so clock skew, late delivery and retries are
applied identically to every kind of message.

- Lifecycle messages (identify, group, alias, anonymous visits before a
  login, feature toggles) follow the world's timeline.
- Usage (track, page, screen) is sampled per day from the people whose
  company has a live subscription, weighted by activity, with event names
  drawn from what the company's plan and toggles allow (plus a little use
  without access, and a little garbage a tracking plan would not list).
- Telemetry: one ``Telemetry Reported`` per live company per day.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from c360.generate import catalog
from c360.generate.clock import DAY, epoch, offset_seconds, offset_text
from c360.generate.randomness import rng_for, uuids
from c360.generate.subscriptions import Billing, plan_at
from c360.generate.world import World

MARKETING = "https://www.c360demo.example"
APP = "https://app.c360demo.example"
TELEMETRY_VERSIONS = ["3.2.0", "3.3.0", "3.3.2", "3.4.0", "3.4.1", "4.0.0"]

# intermediate frame
SCHEMA: dict[str, Any] = {
    "message_id": pl.String,
    "received": pl.Float64,
    "sent": pl.Float64,
    "occurred": pl.Float64,
    "has_sent": pl.Boolean,
    "skew": pl.Int64,
    "kind": pl.String,
    "zone": pl.String,
    "consent": pl.Int8,
    "type": pl.String,
    "event": pl.String,
    "name": pl.String,
    "user_id": pl.String,
    "anon_id": pl.String,
    "group_id": pl.String,
    "previous_id": pl.String,
    "properties": pl.String,
    "traits": pl.String,
    "campaign": pl.Int32,
    "page_url": pl.String,
    "locale": pl.String,
    "ip": pl.String,
    "context_group": pl.String,
}


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


@dataclass
class Columns:
    """Column-wise accumulator for lifecycle messages (cheaper than a dict per row)."""

    data: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in SCHEMA})

    def add(self, **values: Any) -> None:
        for key, col in self.data.items():
            col.append(values.get(key))

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.data, schema=SCHEMA)


@dataclass
class EventModel:
    """Per-person and per-company arrays the daily sampler needs."""

    w: World
    billing: Billing
    people: list[int]  # indices into w.people of app users
    weight: np.ndarray
    joined: np.ndarray
    consent: np.ndarray  # int8: 1 consent object with analytics true, 0 false, -1 no object
    plan_by_day: np.ndarray  # companies x days, plan index or -1
    toggles_by_day: np.ndarray  # companies x days x toggle features, bool
    toggle_events: list[tuple[int, int, str, bool]]  # (ts, company, feature, on)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)  # per app person
    company_moves: list[tuple[int, int, int]] = field(default_factory=list)  # ts, pos, company

    def company_of(self, ts: int) -> np.ndarray:
        """Each app person's company at ``ts`` (people move between companies)."""
        out = self.arrays["company"].copy()
        for when, pos, company in self.company_moves:
            if when <= ts:
                out[pos] = company
        return out

    def zone_of(self, company_of: np.ndarray, ts: int) -> np.ndarray:
        """Device zone: the company's zone as of ``ts``, or the person's own (remote workers)."""
        company_zone = np.array([c.zone_at(ts) for c in self.w.companies], dtype=object)
        own = self.arrays["own_zone"]
        return np.where(own == "", company_zone[company_of], own)


def build_model(w: World, billing: Billing) -> EventModel:
    rng = rng_for(w.cfg.seed, "event_model")
    people = [p.idx for p in w.people if p.user_id is not None]
    weight = np.array([w.people[i].weight for i in people])
    joined = np.array([w.people[i].joined_ts for i in people], dtype=np.int64)
    consent = np.array(
        [0 if not w.people[i].consent else (1 if rng.random() < 0.8 else -1) for i in people],
        dtype=np.int8,
    )
    dates = w.cfg.dates()
    plan_index = {p: k for k, p in enumerate(catalog.PLAN_ORDER)}
    plan_by_day = np.full((len(w.companies), len(dates)), -1, dtype=np.int8)
    for c in w.companies:
        timeline = billing.plan_timeline.get(c.idx, [])
        for j, d in enumerate(dates):
            plan = plan_at(timeline, epoch(d) + 12 * 3600)
            if plan is not None:
                plan_by_day[c.idx, j] = plan_index[plan]
    toggle_events = _toggle_timeline(w, rng, plan_by_day)
    toggles = np.zeros((len(w.companies), len(dates), len(catalog.TOGGLE_FEATURES)), dtype=bool)
    for ts, company, feature, on in sorted(toggle_events):
        j = max(0, (ts - w.start_ts) // DAY)
        if j < len(dates):
            toggles[company, j:, catalog.TOGGLE_FEATURES.index(feature)] = on
    persons = [w.people[i] for i in people]
    second = [p.devices[1] if len(p.devices) > 1 else p.devices[0] for p in persons]
    arrays = {
        "user_id": np.array([p.user_id for p in persons], dtype=object),
        "company": np.array([p.company_idx for p in persons], dtype=np.int64),
        "own_zone": np.array(
            ["" if p.zone == w.companies[p.company_idx].zone else p.zone for p in persons],
            dtype=object,
        ),
        "anon0": np.array([p.devices[0].anon_id for p in persons], dtype=object),
        "kind0": np.array([p.devices[0].kind for p in persons], dtype=object),
        "skew0": np.array([p.devices[0].skew for p in persons], dtype=np.int64),
        "anon1": np.array([d.anon_id for d in second], dtype=object),
        "kind1": np.array([d.kind for d in second], dtype=object),
        "skew1": np.array([d.skew for d in second], dtype=np.int64),
        "first1": np.array(
            [
                d.first_ts if len(p.devices) > 1 else 2**62
                for p, d in zip(persons, second, strict=True)
            ],
            dtype=np.int64,
        ),
        "ip": np.array([f"198.51.100.{i % 250 + 1}" for i in people], dtype=object),
        "locale": np.array(
            [catalog.LOCALES.get(c.country_code, "en-US") for c in w.companies], dtype=object
        ),
    }
    moves = sorted(
        (ts, pos, ch["company_idx"])
        for pos, p in enumerate(persons)
        for ts, ch in p.changes
        if "company_idx" in ch
    )
    return EventModel(
        w,
        billing,
        people,
        weight,
        joined,
        consent,
        plan_by_day,
        toggles,
        toggle_events,
        arrays,
        moves,
    )


def _toggle_timeline(
    w: World, rng: np.random.Generator, plan_by_day: np.ndarray
) -> list[tuple[int, int, str, bool]]:
    """In-app feature switches: some on, some off again, some back on; one flaps in a day."""
    out: list[tuple[int, int, str, bool]] = []
    live = [c for c in w.companies if (plan_by_day[c.idx] >= 0).any()]
    for c in live:
        for feature in catalog.TOGGLE_FEATURES:
            if rng.random() > 0.3:
                continue
            on = int(w.start_ts + rng.uniform(0.05, 0.6) * w.span())
            out.append((on, c.idx, feature, True))
            if rng.random() < 0.3:
                off = on + int(rng.uniform(0.1, 0.3) * w.span())
                out.append((off, c.idx, feature, False))
                if rng.random() < 0.4:
                    out.append((off + int(rng.uniform(0.02, 0.1) * w.span()), c.idx, feature, True))
    # planted flapping: on, off, on again within an hour on the first live company
    if live:
        t = int(w.start_ts + 0.5 * w.span()) + 14 * 3600
        out += [
            (t, live[0].idx, "ai_assistant", True),
            (t + 1200, live[0].idx, "ai_assistant", False),
            (t + 2400, live[0].idx, "ai_assistant", True),
        ]
    return out


def _context_fields(p_zone: str, country: str) -> tuple[str, str]:
    return p_zone, catalog.LOCALES.get(country, "en-US")


def lifecycle_messages(m: EventModel) -> pl.DataFrame:
    """identify, group, alias, anonymous visits before login, and feature toggles."""
    w = m.w
    rng = rng_for(w.cfg.seed, "lifecycle")
    rows = Columns()
    plan_names = catalog.PLAN_ORDER
    person_pos = {idx: k for k, idx in enumerate(m.people)}

    def base(ts: int, p_idx: int, kind: str = "web", anon: str | None = None) -> dict[str, Any]:
        p = w.people[p_idx]
        company = w.companies[p.company_at(ts)]
        latency = float(rng.uniform(0.05, 1.5))
        return {
            "received": ts + latency,
            "sent": ts + latency * 0.5,
            "occurred": float(ts),
            "has_sent": True,
            "skew": p.devices[0].skew if p.devices else 0,
            "kind": kind,
            "zone": company.zone_at(ts) if p.zone == company.zone else p.zone,
            "consent": int(m.consent[person_pos[p_idx]]),
            "anon_id": anon if anon is not None else (p.devices[0].anon_id if p.devices else None),
            "locale": catalog.LOCALES.get(company.country_code, "en-US"),
            "ip": f"198.51.100.{p_idx % 250 + 1}",
        }

    for p_idx in m.people:
        p = w.people[p_idx]
        assert p.user_id is not None
        consent = int(m.consent[person_pos[p_idx]])
        device = p.devices[0]
        if p.joined_ts >= w.start_ts:
            # anonymous visits before signing up, the first from a campaign
            first = p.joined_ts
            for v in range(int(rng.integers(1, 5))):
                ts = first - int(rng.uniform(600, 3 * DAY))
                name, path = catalog.PAGES[int(rng.integers(catalog.MARKETING_PAGES))]
                camp = p.signup_campaign if v == 0 else None
                row = base(ts, p_idx) | {
                    "consent": consent,
                    "type": "page",
                    "name": name,
                    "campaign": camp,
                    "user_id": None,
                }
                row["page_url"] = MARKETING + path + (_utm(camp) if camp is not None else "")
                row["properties"] = _json({"path": path, "title": name, "url": row["page_url"]})
                rows.add(**row)
            signup_ts = first
        else:
            signup_ts = int(w.start_ts + rng.uniform(0, min(7 * DAY, w.span() / 4)))
        company = w.companies[p.company_at(signup_ts)]
        traits = {
            "email": p.email_at(signup_ts),
            "name": f"{p.first} {p.last}",
            "title": p.title,
            "createdAt": _iso(p.joined_ts),
        }
        rows.add(
            **base(signup_ts, p_idx)
            | {
                "consent": consent,
                "type": "identify",
                "user_id": p.user_id,
                "traits": _json(traits),
            }
        )
        if p.uses_alias:
            rows.add(
                **base(signup_ts + 1, p_idx)
                | {
                    "consent": consent,
                    "type": "alias",
                    "user_id": p.user_id,
                    "previous_id": device.anon_id,
                }
            )
        rows.add(
            **base(signup_ts + 2, p_idx)
            | {
                "consent": consent,
                "type": "group",
                "user_id": p.user_id,
                "group_id": company.app_id,
                "traits": _json(_group_traits(m, company.idx, signup_ts, plan_names)),
            }
        )
        for dev in p.devices[1:]:
            if dev.first_ts <= p.joined_ts:
                continue
            for _ in range(int(rng.integers(1, 3))):
                ts = dev.first_ts - int(rng.uniform(300, DAY))
                name, path = catalog.PAGES[int(rng.integers(catalog.MARKETING_PAGES))]
                url = MARKETING + path
                rows.add(
                    **base(ts, p_idx, dev.kind, dev.anon_id)
                    | {
                        "consent": consent,
                        "type": "page",
                        "name": name,
                        "page_url": url,
                        "properties": _json({"path": path, "title": name, "url": url}),
                    }
                )
            rows.add(
                **base(dev.first_ts, p_idx, dev.kind, dev.anon_id)
                | {
                    "consent": consent,
                    "type": "identify",
                    "user_id": p.user_id,
                    "traits": _json({"email": p.email_at(dev.first_ts)}),
                }
            )
        for ts, change in p.changes:
            traits = {}
            if "title" in change:
                traits["title"] = change["title"]
            if "email" in change:
                traits["email"] = change["email"]
            if traits:
                rows.add(
                    **base(ts, p_idx)
                    | {
                        "consent": consent,
                        "type": "identify",
                        "user_id": p.user_id,
                        "traits": _json(traits),
                    }
                )
            if "company_idx" in change:
                new = w.companies[change["company_idx"]]
                rows.add(
                    **base(ts + 5, p_idx)
                    | {
                        "consent": consent,
                        "type": "group",
                        "user_id": p.user_id,
                        "group_id": new.app_id,
                        "traits": _json(_group_traits(m, new.idx, ts, plan_names)),
                    }
                )
    admins = {w.people[i].company_idx: i for i in m.people if w.people[i].is_admin}
    for ts, company_idx, feature, on in m.toggle_events:
        if company_idx not in admins:
            continue
        p_idx = admins[company_idx]
        rows.add(
            **base(ts, p_idx)
            | {
                "consent": int(m.consent[person_pos[p_idx]]),
                "type": "track",
                "event": "Feature Enabled" if on else "Feature Disabled",
                "user_id": w.people[p_idx].user_id,
                "properties": _json({"feature": feature, "source": "settings"}),
            }
        )
    frame = rows.frame()
    ids = uuids(rng, frame.height)
    return frame.with_columns(message_id=ids)


def _group_traits(m: EventModel, company_idx: int, ts: int, plans: list[str]) -> dict[str, Any]:
    c = m.w.companies[company_idx]
    plan = plan_at(m.billing.plan_timeline.get(company_idx, []), ts)
    return {
        "name": c.name,
        "plan": plan or "free",
        "employees": c.initial.get("NumberOfEmployees"),
        "industry": c.initial.get("Industry"),
    }


def _utm(campaign: int | None) -> str:
    if campaign is None:
        return ""
    source, medium, name, term, content = catalog.CAMPAIGNS[campaign]
    out = f"?utm_source={source}&utm_medium={medium}&utm_campaign={name}"
    if term:
        out += "&utm_term=" + term.replace(" ", "+")
    if content:
        out += "&utm_content=" + content
    return out


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# ---------------------------------------------------------------- daily usage


_TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{(\w+)\}")


def _template_expr(template: str) -> pl.Expr:
    """A property template like ``{{"id":"rep_{id}"}}`` as a polars string expression.

    ``{{``/``}}`` are literal braces and ``{name}`` reads column ``ph_name``,
    as in ``str.format``; the template is scanned left to right once.
    """
    pieces: list[pl.Expr] = []
    literal: list[str] = []
    pos = 0
    for match in _TEMPLATE_TOKEN.finditer(template):
        literal.append(template[pos : match.start()])
        if match.group(1) is None:
            literal.append(match.group(0)[0])
        else:
            pieces.append(pl.lit("".join(literal)))
            literal = []
            pieces.append(pl.col(f"ph_{match.group(1)}").cast(pl.String))
        pos = match.end()
    literal.append(template[pos:])
    pieces.append(pl.lit("".join(literal)))
    return pl.concat_str(pieces)


_CHOICES = {
    "method": ["password", "sso", "google"],
    "fmt": ["csv", "pdf", "xlsx"],
    "chan": ["email", "slack", "webhook"],
    "integ": ["salesforce", "slack", "snowflake", "jira"],
    "idp": ["okta", "azure_ad", "google"],
    "role": ["viewer", "editor", "admin"],
    "section": ["profile", "billing", "notifications", "security"],
}


def _track_names_for(plan: int, toggles: tuple[bool, ...]) -> tuple[list[str], np.ndarray]:
    """Track events a company on ``plan`` with ``toggles`` would send, and their weights."""
    allowed = set(catalog.FEATURES_BY_PLAN[catalog.PLAN_ORDER[plan]])
    allowed |= {f for f, on in zip(catalog.TOGGLE_FEATURES, toggles, strict=True) if on}
    names, weights = [], []
    for name, feature, _, weight in catalog.TRACK_EVENTS:
        if feature == "" or feature in allowed:
            names.append(name)
            weights.append(weight)
    p = np.asarray(weights)
    return names, p / p.sum()


def usage_messages(m: EventModel, day_index: int, n_target: int) -> pl.DataFrame:
    """Sampled track/page/screen messages received on day ``day_index``, plus anonymous
    visitors and one telemetry report per live company."""
    w = m.w
    d = w.cfg.dates()[day_index]
    rng = rng_for(w.cfg.seed, "usage", day_index)
    day_start = epoch(d)
    company_of = m.company_of(day_start + 43_200)
    plan = m.plan_by_day[company_of, day_index]
    active = (m.joined < day_start + DAY) & (plan >= 0)
    frames = []
    if active.any() and n_target > 0:
        idx = np.flatnonzero(active)
        p = m.weight[idx] / m.weight[idx].sum()
        n_known = int(n_target * 0.95)
        who = idx[rng.choice(len(idx), size=n_known, p=p)]
        frames.append(_known_usage(m, rng, d, who, company_of, plan, day_index))
        frames.append(_anonymous_visits(m, rng, d, n_target - n_known))
    frames.append(_telemetry(m, rng, d, day_index))
    frames = [f for f in frames if f.height]
    if not frames:
        return pl.DataFrame(schema=SCHEMA)
    return pl.concat(frames, how="vertical")


def _offsets(zones: np.ndarray, d: dt.date) -> np.ndarray:
    """UTC offset (seconds) of each zone on ``d``, computed once per distinct zone."""
    uniq, inverse = np.unique(zones.astype(str), return_inverse=True)
    return np.array([offset_seconds(str(z), d) for z in uniq], dtype=np.int64)[inverse]


def _diurnal_seconds(rng: np.random.Generator, n: int, offsets: np.ndarray) -> np.ndarray:
    """Seconds into the UTC day, concentrated in each person's local working hours."""
    local_hour = np.clip(rng.normal(13.0, 3.2, size=n), 0, 23.999)
    utc: np.ndarray = (local_hour * 3600 - offsets) % DAY
    return utc + rng.uniform(0, 1, size=n)


def _known_usage(
    m: EventModel,
    rng: np.random.Generator,
    d: dt.date,
    who: np.ndarray,
    company_of: np.ndarray,
    plan: np.ndarray,
    day_index: int,
) -> pl.DataFrame:
    n = len(who)
    day_start = epoch(d)
    a = m.arrays
    zones = m.zone_of(company_of, day_start)[who]
    offsets = _offsets(zones, d)
    # device: the second device (mobile or a new laptop) a quarter of the time, once it exists
    second = (a["first1"][who] <= day_start) & (rng.uniform(size=n) < 0.25)
    kind = np.where(second, a["kind1"][who], a["kind0"][who])
    is_web = kind == "web"
    r_type = rng.uniform(size=n)
    mtype = np.where(
        is_web, np.where(r_type < 0.22, "page", "track"), np.where(r_type < 0.25, "screen", "track")
    )
    # track names per (plan, toggles) group
    event = np.full(n, None, dtype=object)
    comp = company_of[who]
    toggles = m.toggles_by_day[comp, day_index]
    keys = plan[who].astype(np.int64) * 8 + (toggles * np.array([1, 2, 4])).sum(axis=1)
    for key in np.unique(keys):
        mask = (keys == key) & (mtype == "track")
        if not mask.any():
            continue
        pl_idx, bits = divmod(int(key), 8)
        names, probs = _track_names_for(pl_idx, tuple(bool(bits >> b & 1) for b in range(3)))
        event[mask] = np.array(names, dtype=object)[
            rng.choice(len(names), size=mask.sum(), p=probs)
        ]
    track = mtype == "track"
    # use without access: a little, any feature event
    leak = track & (rng.uniform(size=n) < 0.004)
    all_names = [t[0] for t in catalog.TRACK_EVENTS]
    event[leak] = np.array(all_names, dtype=object)[rng.integers(len(all_names), size=leak.sum())]
    # garbage names a tracking plan would not list
    junk = track & (rng.uniform(size=n) < 0.003)
    event[junk] = np.array(catalog.GARBAGE_EVENTS, dtype=object)[
        rng.integers(len(catalog.GARBAGE_EVENTS), size=junk.sum())
    ]
    page_i = rng.integers(catalog.MARKETING_PAGES - 2, len(catalog.PAGES), size=n)
    screen_i = rng.integers(len(catalog.SCREENS), size=n)
    page_names = np.array([pg[0] for pg in catalog.PAGES], dtype=object)
    page_paths = np.array([pg[1] for pg in catalog.PAGES], dtype=object)
    name = np.where(
        mtype == "page",
        page_names[page_i],
        np.where(mtype == "screen", np.array(catalog.SCREENS, dtype=object)[screen_i], None),  # type: ignore[call-overload]
    )
    path = page_paths[page_i]
    seconds = _diurnal_seconds(rng, n, offsets)
    frame = pl.DataFrame(
        {
            "received": day_start + seconds,
            "kind": kind,
            "zone": zones,
            "type": mtype,
            "event": event.astype(str),
            "name": name.astype(str),
            "user_id": a["user_id"][who],
            "anon_id": np.where(second, a["anon1"][who], a["anon0"][who]),
            "skew": np.where(second, a["skew1"][who], a["skew0"][who]),
            "consent": m.consent[who],
            "path": path,
            "locale": a["locale"][comp],
            "ip": a["ip"][who],
            "ph_id": rng.integers(100_000, 999_999, size=n),
            "ph_n": rng.integers(1, 5000, size=n),
            **{
                f"ph_{key}": np.array(vals)[rng.integers(len(vals), size=n)]
                for key, vals in _CHOICES.items()
            },
            "drop_props": rng.uniform(size=n) < 0.01,
        }
    ).with_columns(
        pl.when(pl.col("event") == "None").then(None).otherwise(pl.col("event")).alias("event"),
        pl.when(pl.col("name") == "None").then(None).otherwise(pl.col("name")).alias("name"),
    )
    page_props = pl.concat_str(
        [
            pl.lit('{"path":"'),
            pl.col("path"),
            pl.lit('","title":"'),
            pl.col("name"),
            pl.lit('","url":"' + APP),
            pl.col("path"),
            pl.lit('"}'),
        ]
    )
    props: Any = pl.when(pl.col("type") == "page").then(page_props)
    props = props.when(pl.col("type") == "screen").then(
        pl.concat_str([pl.lit('{"name":"'), pl.col("name"), pl.lit('"}')])
    )
    props = props.when(pl.col("drop_props")).then(pl.lit("{}"))
    for ev_name, _feature, template, _ in catalog.TRACK_EVENTS:
        props = props.when(pl.col("event") == ev_name).then(_template_expr(template))
    props_expr = props.otherwise(pl.lit("{}"))
    frame = frame.with_columns(
        properties=props_expr,
        page_url=pl.when(pl.col("type") == "page").then(pl.lit(APP) + pl.col("path")),
    )
    return _timed(frame, rng).with_columns(message_id=uuids(rng, n)).select(list(SCHEMA))


def _timed(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Add sent/occurred: network latency, late (offline) delivery, and missing sentAt."""
    n = frame.height
    latency = rng.uniform(0.05, 2.0, size=n)
    late = rng.uniform(size=n) < 0.015
    lateness = np.where(late, rng.uniform(3600, 5 * DAY, size=n), 0.0)
    no_sent = rng.uniform(size=n) < 0.03
    received = frame["received"].to_numpy()
    sent = received - latency * 0.5
    occurred = received - latency - lateness
    return frame.with_columns(
        sent=sent,
        occurred=occurred,
        has_sent=~no_sent,
        skew=pl.when(pl.Series(no_sent)).then(0).otherwise(pl.col("skew")),
        group_id=pl.lit(None, pl.String),
        previous_id=pl.lit(None, pl.String),
        traits=pl.lit(None, pl.String),
        campaign=pl.lit(None, pl.Int32),
        context_group=pl.lit(None, pl.String),
    )


def _anonymous_visits(m: EventModel, rng: np.random.Generator, d: dt.date, n: int) -> pl.DataFrame:
    """Marketing-site visitors who never log in (some from campaigns)."""
    if n <= 0:
        return pl.DataFrame(schema=SCHEMA)
    day_start = epoch(d)
    visitors = uuids(rng, max(1, n // 3))
    who = rng.integers(visitors.len(), size=n)
    page_i = rng.integers(0, catalog.MARKETING_PAGES, size=n)
    camp = np.where(rng.uniform(size=n) < 0.3, rng.integers(len(catalog.CAMPAIGNS), size=n), -1)
    urls = [
        MARKETING + catalog.PAGES[i][1] + (_utm(int(c)) if c >= 0 else "")
        for i, c in zip(page_i, camp, strict=True)
    ]
    zones = np.array(["America/New_York", "Europe/London", "Asia/Tokyo", "America/Chicago"])[
        rng.integers(4, size=n)
    ]
    offsets = _offsets(zones, d)
    frame = pl.DataFrame(
        {
            "received": day_start + _diurnal_seconds(rng, n, offsets),
            "kind": "web",
            "zone": zones,
            "type": "page",
            "event": None,
            "name": [catalog.PAGES[i][0] for i in page_i],
            "user_id": None,
            "anon_id": visitors.gather(who),
            "skew": 0,
            "consent": np.where(rng.uniform(size=n) < 0.9, 1, 0).astype(np.int8),
            "locale": "en-US",
            "ip": [f"203.0.113.{i % 250 + 1}" for i in who],
            "page_url": urls,
            "properties": [
                _json({"path": catalog.PAGES[i][1], "title": catalog.PAGES[i][0], "url": u})
                for i, u in zip(page_i, urls, strict=True)
            ],
        },
        schema_overrides={"event": pl.String, "user_id": pl.String, "skew": pl.Int64},
    )
    frame = _timed(frame, rng).with_columns(
        campaign=pl.Series(camp).cast(pl.Int32).replace(-1, None)
    )
    return frame.with_columns(message_id=uuids(rng, n)).select(list(SCHEMA))


def _telemetry(m: EventModel, rng: np.random.Generator, d: dt.date, day_index: int) -> pl.DataFrame:
    """One configuration report per live company, from its installation, sent by the admin."""
    w = m.w
    day_start = epoch(d)
    admins = {w.people[i].company_idx: i for i in m.people if w.people[i].is_admin}
    live = [c for c in w.companies if m.plan_by_day[c.idx, day_index] >= 0 and c.idx in admins]
    if not live:
        return pl.DataFrame(schema=SCHEMA)
    n = len(live)
    cid = np.array([c.idx for c in live])
    size = np.array([max(1, c.initial.get("NumberOfEmployees") or 10) for c in live])
    servers = np.maximum(1, (np.log10(size) * 2).astype(int) + (day_index // 45 + cid) % 3)
    version_i = np.minimum((day_index // 40 + cid % 4), len(TELEMETRY_VERSIONS) - 1)
    props = [
        _json(
            {
                "version": TELEMETRY_VERSIONS[v],
                "servers": int(s),
                "instances": int(s * 2),
                "apps": int(3 + (c % 7) + day_index // 60),
                "frontend_clients": int(10 * s),
            }
        )
        for v, s, c in zip(version_i, servers, cid, strict=True)
    ]
    people = [w.people[admins[c.idx]] for c in live]
    frame = pl.DataFrame(
        {
            "received": day_start + rng.uniform(3600, 5 * 3600, size=n),
            "kind": "server",
            "zone": "UTC",
            "type": "track",
            "event": "Telemetry Reported",
            "name": None,
            "user_id": [p.user_id for p in people],
            "anon_id": [f"srv-{c.app_id}" for c in live],
            "skew": 0,
            "consent": -1,
            "locale": "en-US",
            "ip": "192.0.2.10",
            "page_url": None,
            "properties": props,
        },
        schema_overrides={
            "name": pl.String,
            "page_url": pl.String,
            "consent": pl.Int8,
            "skew": pl.Int64,
        },
    )
    frame = _timed(frame, rng).with_columns(
        has_sent=pl.lit(False), context_group=pl.Series([c.app_id for c in live])
    )
    return frame.with_columns(message_id=uuids(rng, n)).select(list(SCHEMA))


# ---------------------------------------------------------------- rendering


def render(frame: pl.DataFrame) -> pl.DataFrame:
    """Intermediate rows -> the spec's columns (all strings, as the SDKs send them)."""
    ts_fmt = "%Y-%m-%dT%H:%M:%S%.3f"
    offsets = frame.select(
        pl.col("zone"), (pl.col("occurred") // DAY * DAY).alias("day_ts")
    ).unique()
    offset_rows = [
        (z, t, offset_seconds(z, dt.datetime.fromtimestamp(t, dt.UTC).date()))
        for z, t in offsets.iter_rows()
    ]
    off = pl.DataFrame(
        offset_rows, schema={"zone": pl.String, "day_ts": pl.Float64, "off": pl.Int64}, orient="row"
    )
    off = off.with_columns(off_text=pl.col("off").map_elements(offset_text, pl.String))
    f = frame.with_columns(day_ts=pl.col("occurred") // DAY * DAY).join(
        off, on=["zone", "day_ts"], how="left"
    )
    local = f["kind"].is_in(["ios", "android"])  # mobile SDKs write the device's offset

    def stamp(seconds: pl.Expr) -> pl.Expr:
        utc = pl.from_epoch((seconds * 1000).round(0).cast(pl.Int64), time_unit="ms")
        shifted = pl.from_epoch(
            ((seconds + pl.col("off")) * 1000).round(0).cast(pl.Int64), time_unit="ms"
        )
        return (
            pl.when(pl.Series(local))
            .then(shifted.dt.strftime(ts_fmt) + pl.col("off_text"))
            .otherwise(utc.dt.strftime(ts_fmt) + pl.lit("Z"))
        )

    consent = (
        pl.when(pl.col("consent") == 1)
        .then(pl.lit('"consent":{"categoryPreferences":{"advertising":false,"analytics":true}},'))
        .when(pl.col("consent") == 0)
        .then(pl.lit('"consent":{"categoryPreferences":{"advertising":false,"analytics":false}},'))
        .otherwise(pl.lit(""))
    )
    campaign = pl.lit("")
    for k, (source, medium, name, term, content) in enumerate(catalog.CAMPAIGNS):
        parts = {"source": source, "medium": medium, "name": name}
        if term:
            parts["term"] = term
        if content:
            parts["content"] = content
        campaign = (
            pl.when(pl.col("campaign") == k)
            .then(pl.lit('"campaign":' + _json(parts) + ","))
            .otherwise(campaign)
        )
    library = pl.lit("")
    for kind, (lib, version) in catalog.LIBRARIES.items():
        library = (
            pl.when(pl.col("kind") == kind)
            .then(pl.lit(f'"library":{{"name":"{lib}","version":"{version}"}},'))
            .otherwise(library)
        )
    context = pl.concat_str(
        [
            pl.lit("{"),
            campaign,
            consent,
            pl.when(pl.col("context_group").is_not_null())
            .then(pl.concat_str([pl.lit('"groupId":"'), pl.col("context_group"), pl.lit('",')]))
            .otherwise(pl.lit("")),
            pl.lit('"ip":"'),
            pl.col("ip"),
            pl.lit('",'),
            library,
            pl.lit('"locale":"'),
            pl.col("locale"),
            pl.lit('",'),
            pl.when(pl.col("page_url").is_not_null())
            .then(pl.concat_str([pl.lit('"page":{"url":"'), pl.col("page_url"), pl.lit('"},')]))
            .otherwise(pl.lit("")),
            pl.lit('"timezone":"'),
            pl.col("zone"),
            pl.lit('"}'),
        ]
    )
    return (
        f.select(
            pl.col("message_id").alias("messageId"),
            pl.col("type"),
            pl.col("event"),
            pl.col("name"),
            pl.col("user_id").alias("userId"),
            pl.col("anon_id").alias("anonymousId"),
            pl.col("group_id").alias("groupId"),
            pl.col("previous_id").alias("previousId"),
            stamp(pl.col("occurred") + pl.col("skew")).alias("timestamp"),
            pl.when(pl.col("has_sent"))
            .then(stamp(pl.col("sent") + pl.col("skew")))
            .alias("sentAt"),
            pl.from_epoch((pl.col("received") * 1000).round(0).cast(pl.Int64), time_unit="ms")
            .dt.strftime(ts_fmt + "Z")
            .alias("receivedAt"),
            context.alias("context"),
            pl.col("properties"),
            pl.col("traits"),
            pl.col("received"),
        )
        .sort(["received", "messageId"])
        .drop("received")
    )


# ---------------------------------------------------------------- the daily loop


def daily_event_frames(w: World, billing: Billing) -> Iterator[tuple[dt.date, pl.DataFrame]]:
    """Yield (extract date, spec-shaped frame) for every day, in order.

    Retries: about 0.8% of messages land twice, most in the same partition,
    some in the next day's (a later batch: receivedAt and sentAt move together,
    so the corrected time is unchanged).
    """
    m = build_model(w, billing)
    lifecycle = lifecycle_messages(m)
    dates = w.cfg.dates()
    fixed = lifecycle.height + sum(int((m.plan_by_day[:, j] >= 0).sum()) for j in range(len(dates)))
    usage_total = max(0, w.cfg.events - fixed)
    weekday_factor = np.array([1.0 if d.weekday() < 5 else 0.35 for d in dates])
    per_day = usage_total * weekday_factor / weekday_factor.sum()
    carry = pl.DataFrame(schema=SCHEMA)
    for j, d in enumerate(dates):
        rng = rng_for(w.cfg.seed, "retries", j)
        start, end = epoch(d), epoch(d) + DAY
        todays = lifecycle.filter((pl.col("received") >= start) & (pl.col("received") < end))
        usage = usage_messages(m, j, round(float(per_day[j])))
        day = pl.concat([carry, todays, usage], how="vertical")
        n = day.height
        r = rng.uniform(size=n)
        same_day = day.filter(pl.Series(r < 0.0056)).with_columns(
            received=pl.col("received") + 0.5, sent=pl.col("sent") + 0.5
        )
        delay = float(rng.uniform(3600, 6 * 3600))
        next_day = day.filter(pl.Series((r >= 0.0056) & (r < 0.008))).with_columns(
            received=pl.lit(float(end)) + pl.col("received") - start + delay,
            sent=pl.lit(float(end)) + pl.col("sent") - start + delay,
        )
        out = pl.concat([day, same_day], how="vertical")
        carry = pl.concat([out.filter(pl.col("received") >= end), next_day], how="vertical")
        out = out.filter(pl.col("received") < end)
        yield d, render(out)
