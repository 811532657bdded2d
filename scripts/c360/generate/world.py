"""The synthetic ground truth: companies, people, CRM users and their changes over time.

Source extracts (CRM, billing, events, support) are *views* of this one world,
written by the other modules. Every realistic case the later models need is
either drawn at random at a realistic rate or, where a small data set could
miss it, planted on a fixed company or person so that even ``tiny`` has it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from c360.generate import catalog
from c360.generate.clock import DAY, epoch
from c360.generate.config import GenerateConfig
from c360.generate.randomness import random_tokens, rng_for, salesforce_ids, unique_tokens

YEAR = 365 * DAY


@dataclass
class CrmUser:
    user_id: str
    name: str
    email: str
    role: str  # sales | csm | admin
    title: str
    modified_ts: int
    left_ts: int | None = None  # IsActive becomes false


@dataclass
class Company:
    idx: int
    kind: str  # customer | trial | prospect | former
    name: str
    domain: str
    country: str
    country_code: str
    state: str
    city: str
    currency: str
    zone: str
    crm_id: str | None
    app_id: str | None
    crm_created_ts: int | None
    app_created_ts: int | None
    # CRM field values at creation, then dated changes (ts, {field: value}).
    initial: dict[str, Any] = field(default_factory=dict)
    changes: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    zone_changes: list[tuple[int, str]] = field(default_factory=list)  # true zone moves
    soft_deleted_ts: int | None = None
    hard_deleted_ts: int | None = None
    churn_ts: int | None = None  # product use stops
    reactivated_ts: int | None = None
    plan: str = "starter"
    interval: str = "month"
    seats: int = 1
    billing_id: str | None = None

    def zone_at(self, ts: int) -> str:
        zone = self.zone
        for when, new in self.zone_changes:
            if when <= ts:
                zone = new
        return zone


@dataclass
class Device:
    anon_id: str
    kind: str  # web | ios | android
    skew: int  # device clock minus true time, seconds
    first_ts: int  # first seen (a new device appears mid-window for some people)


@dataclass
class Person:
    idx: int
    company_idx: int
    first: str
    last: str
    email: str
    title: str
    zone: str
    consent: bool
    weight: float
    is_admin: bool
    user_id: str | None  # app user id (None: CRM-only contact)
    joined_ts: int  # app signup (or contact creation for CRM-only people)
    devices: list[Device] = field(default_factory=list)
    contact_id: str | None = None
    contact_links_app: bool = True  # App_User_Id__c filled in
    contact_created_ts: int | None = None
    changes: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    soft_deleted_ts: int | None = None
    hard_deleted_ts: int | None = None
    signup_campaign: int | None = None  # index into catalog.CAMPAIGNS
    uses_alias: bool = False

    def company_at(self, ts: int) -> int:
        company = self.company_idx
        for when, change in self.changes:
            if when <= ts and "company_idx" in change:
                company = change["company_idx"]
        return company

    def email_at(self, ts: int) -> str:
        email = self.email
        for when, change in self.changes:
            if when <= ts and "email" in change:
                email = change["email"]
        return email


@dataclass
class World:
    cfg: GenerateConfig
    start_ts: int
    end_ts: int  # exclusive: midnight after the last extract date
    crm_users: list[CrmUser]
    companies: list[Company]
    people: list[Person]

    def span(self) -> int:
        return self.end_ts - self.start_ts


def _pick(rng: np.random.Generator, items: list[Any], weights: list[float] | None = None) -> Any:
    if weights is None:
        return items[int(rng.integers(len(items)))]
    p = np.asarray(weights, dtype=float)
    return items[int(rng.choice(len(items), p=p / p.sum()))]


def _in_window(rng: np.random.Generator, w: World, lo: float = 0.05, hi: float = 0.95) -> int:
    """A random second inside the window, between fractions ``lo`` and ``hi`` of it."""
    return int(w.start_ts + rng.uniform(lo, hi) * w.span())


def _kinds(n: int) -> list[str]:
    """Company kinds in fixed proportions, with at least the minimum of each that plants need."""
    trials = max(2, round(n * 0.15))
    prospects = max(3, round(n * 0.15))
    former = max(2, round(n * 0.08))
    customers = n - trials - prospects - former
    if customers < 3:
        raise ValueError(f"--companies {n} is too few for a realistic mix")
    return (
        ["customer"] * customers
        + ["trial"] * trials
        + ["prospect"] * prospects
        + ["former"] * former
    )


def build_world(cfg: GenerateConfig) -> World:
    rng = rng_for(cfg.seed, "world")
    start_ts = epoch(cfg.start_date)
    end_ts = epoch(cfg.end_date + dt.timedelta(days=1))
    users = _crm_users(cfg, rng_for(cfg.seed, "crm_users"), start_ts)
    w = World(cfg, start_ts, end_ts, users, [], [])
    _companies(w, rng)
    _hierarchy(w, rng_for(cfg.seed, "hierarchy"))
    _company_changes(w, rng_for(cfg.seed, "company_changes"))
    _people(w, rng_for(cfg.seed, "people"))
    _people_changes(w, rng_for(cfg.seed, "people_changes"))
    return w


def _crm_users(cfg: GenerateConfig, rng: np.random.Generator, start_ts: int) -> list[CrmUser]:
    counts = {"sales": max(4, cfg.companies // 25), "csm": max(3, cfg.companies // 40), "admin": 1}
    total = sum(counts.values())
    ids = salesforce_ids(rng, total, "005")
    out: list[CrmUser] = []
    for role, count in counts.items():
        for _ in range(count):
            first, last = _pick(rng, catalog.FIRST_NAMES), _pick(rng, catalog.LAST_NAMES)
            uid = ids[len(out)]
            out.append(
                CrmUser(
                    user_id=uid,
                    name=f"{first} {last}",
                    email=f"{first}.{last}{len(out)}@ourcompany.example".lower(),
                    role=role,
                    title=catalog.CRM_USER_TITLES[role],
                    modified_ts=start_ts - int(rng.integers(30, 700)) * DAY,
                )
            )
    return out


def _companies(w: World, rng: np.random.Generator) -> None:
    cfg = w.cfg
    n = cfg.companies
    kinds = _kinds(n)
    crm_ids = salesforce_ids(rng, n, "001")
    app_ids = ["ws_" + t for t in unique_tokens(rng, n, 10, "36")]
    country_weights = [c[3] for c in catalog.COUNTRIES]
    # Plants: the first customers are in Japan, Germany and the UK (JPY, EUR, GBP prices).
    forced_country = {0: "JP", 1: "DE", 2: "GB"}
    sales = [u for u in w.crm_users if u.role == "sales"]
    csms = [u for u in w.crm_users if u.role == "csm"]
    used_names: set[str] = set()
    for i, kind in enumerate(kinds):
        if i in forced_country:
            country = next(c for c in catalog.COUNTRIES if c[1] == forced_country[i])
        else:
            country = _pick(rng, catalog.COUNTRIES, country_weights)
        state, city, zone = _pick(rng, country[4])
        name = f"{_pick(rng, catalog.NAME_PREFIXES)} {_pick(rng, catalog.NAME_SUFFIXES)}"
        while name in used_names:
            name = f"{name} {random_tokens(rng, 1, 2, '36')[0].upper()}"
        used_names.add(name)
        domain = name.lower().replace(" ", "") + _pick(rng, [".com", ".io", ".co", ".net"])
        before = int(rng.uniform(0.3, 4.0) * YEAR)
        c = Company(
            idx=i,
            kind=kind,
            name=name,
            domain=domain,
            country=country[0],
            country_code=country[1],
            state=state,
            city=city,
            currency=country[2],
            zone=zone,
            crm_id=crm_ids[i],
            app_id=app_ids[i],
            crm_created_ts=w.start_ts - before,
            app_created_ts=w.start_ts - before + 3 * DAY,
        )
        if kind == "prospect":
            c.app_id = None
            c.app_created_ts = None
            c.crm_created_ts = (
                w.start_ts - int(rng.uniform(0.05, 1.0) * YEAR)
                if rng.random() < 0.6
                else _in_window(rng, w, 0.0, 0.6)
            )
        elif kind == "trial":
            # self-serve signup inside the window; sales creates a CRM account for some, later
            c.app_created_ts = _in_window(rng, w, 0.05, 0.55)
            c.crm_created_ts = None
            c.crm_id = None
        elif kind == "former":
            c.churn_ts = w.start_ts - int(rng.uniform(0.05, 0.5) * YEAR)
        employees = int(np.clip(rng.lognormal(4.2, 1.3), 3, 200_000))
        industry = (
            _pick(rng, catalog.INDUSTRY_PICKLIST)
            if rng.random() < 0.7
            else _pick(rng, catalog.INDUSTRY_FREE_TEXT)
            if rng.random() < 0.85
            else None
        )
        c.plan = _pick(rng, catalog.PLAN_ORDER, [0.45, 0.4, 0.15])
        c.interval = "year" if rng.random() < 0.3 else "month"
        c.seats = int(np.clip(rng.lognormal(1.6, 0.9), 1, 400))
        c.initial = {
            "Name": name,
            "Website": "https://www." + domain if rng.random() < 0.9 else None,
            "Industry": industry,
            "NumberOfEmployees": employees if rng.random() < 0.93 else None,
            "AnnualRevenue": (
                float(round(employees * rng.uniform(60_000, 300_000), -3))
                if rng.random() < 0.8
                else None
            ),
            "BillingCountry": _country_text(rng, country),
            "BillingState": state or None,
            "BillingCity": city,
            "ParentId": None,
            "OwnerId": _pick(rng, sales).user_id,
            "CSM__c": _pick(rng, csms).user_id if kind in ("customer", "former") else None,
            "AccountSource": _pick(rng, catalog.ACCOUNT_SOURCES),
            "Type": {"customer": "Customer", "former": "Former Customer"}.get(kind, "Prospect"),
            "App_Account_Id__c": c.app_id,
            "Contract_Signed_Date__c": None,
            "Onboarding_Completed_Date__c": None,
            "Time_Zone__c": _zone_text(rng, zone),
        }
        if kind in ("customer", "former") and c.crm_created_ts is not None:
            signed = c.crm_created_ts + int(rng.integers(5, 90)) * DAY
            c.initial["Contract_Signed_Date__c"] = _date_text(min(signed, w.start_ts - DAY))
            done = signed + int(rng.integers(14, 90)) * DAY
            if done < w.start_ts:
                c.initial["Onboarding_Completed_Date__c"] = _date_text(done)
            else:
                c.changes.append(
                    (done + 9 * 3600, {"Onboarding_Completed_Date__c": _date_text(done)})
                )
        w.companies.append(c)
    # Trials that sales picks up get a CRM account mid-trial; others stay product-only.
    trials = [c for c in w.companies if c.kind == "trial"]
    for j, c in enumerate(trials):
        assert c.app_created_ts is not None
        if j % 2 == 0:
            c.crm_id = crm_ids[c.idx]
            c.crm_created_ts = c.app_created_ts + int(rng.integers(2, 10)) * DAY
            c.initial["AccountSource"] = "Product Signup"
            # the rep creates the account first and links the workspace a few days later
            c.initial["App_Account_Id__c"] = None
            c.changes.append((c.crm_created_ts + 3 * DAY, {"App_Account_Id__c": c.app_id}))


def _country_text(rng: np.random.Generator, country: tuple[Any, ...]) -> str:
    """Reps type countries as names, codes or abbreviations."""
    name, code = country[0], country[1]
    variants = (
        [name] * 6
        + [code]
        + ({"US": ["USA", "United States of America"], "GB": ["UK"]}.get(code, []))
    )
    return str(_pick(rng, variants))


def _zone_text(rng: np.random.Generator, zone: str) -> str | None:
    """What a rep typed into Time_Zone__c for a company in ``zone``."""
    r = rng.random()
    if r < 0.35:
        return zone
    if r < 0.42:
        return zone.lower() if rng.random() < 0.5 else zone.upper()
    if r < 0.70:
        return str(_pick(rng, catalog.ZONE_TEXTS.get(zone, [zone])))
    if r < 0.94:
        return None
    return str(_pick(rng, catalog.ZONE_GARBAGE))


def _date_text(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def _hierarchy(w: World, rng: np.random.Generator) -> None:
    """Parent/child trees several levels deep, a mid-window acquisition, and random subsidiaries."""
    crm = [c for c in w.companies if c.crm_id is not None and c.kind in ("customer", "former")]
    depth: dict[int, int] = {c.idx: 0 for c in w.companies}
    # planted chain: crm[0] <- crm[1] <- crm[2] <- crm[3] (four levels)
    for parent, child in itertools.pairwise(crm[:4]):
        child.initial["ParentId"] = parent.crm_id
        depth[child.idx] = depth[parent.idx] + 1
    # planted acquisition: crm[4] gets a parent mid-window
    if len(crm) > 4:
        crm[4].changes.append((_in_window(rng, w, 0.3, 0.5), {"ParentId": crm[0].crm_id}))
    # random subsidiaries, at most four levels deep, parents always earlier (no cycles)
    for k, c in enumerate(crm[5:], start=5):
        if rng.random() < 0.2:
            candidates = [p for p in crm[:k] if depth[p.idx] < 3]
            parent = _pick(rng, candidates)
            c.initial["ParentId"] = parent.crm_id
            depth[c.idx] = depth[parent.idx] + 1


def _company_changes(w: World, rng: np.random.Generator) -> None:
    """Attribute changes over time: industry, owner, CSM, size, zone, type; deletes."""
    crm = [c for c in w.companies if c.crm_id is not None]
    sales = [u for u in w.crm_users if u.role == "sales"]
    csms = [u for u in w.crm_users if u.role == "csm"]
    years = w.span() / YEAR
    for c in crm:
        for _ in range(int(rng.poisson(1.5 * years))):
            when = _in_window(rng, w, 0.02, 0.98)
            if c.crm_created_ts is not None and when <= c.crm_created_ts:
                continue
            what = _pick(
                rng,
                ["industry", "csm", "employees", "revenue", "city", "system"],
                [1, 1.5, 3, 2, 0.5, 2],
            )
            c.changes.append((when, _change_values(rng, c, what, csms)))
    customers = [c for c in crm if c.kind == "customer"]
    # planted: reclassified industry, CSM handover, headcount growth
    plants = [("industry", 0), ("csm", 1), ("employees", 2), ("revenue", 3)]
    for what, k in plants:
        target = customers[k % len(customers)]
        target.changes.append(
            (_in_window(rng, w, 0.2, 0.8), _change_values(rng, target, what, csms))
        )
    # planted: a company relocates (true zone and the rep's text both change)
    mover = customers[min(5, len(customers) - 1)]
    move_ts = _in_window(rng, w, 0.4, 0.6)
    new_zone = "America/Los_Angeles" if mover.zone != "America/Los_Angeles" else "America/New_York"
    mover.zone_changes.append((move_ts, new_zone))
    mover.changes.append(
        (
            move_ts + 2 * DAY,
            {
                "Time_Zone__c": "Pacific Time"
                if new_zone == "America/Los_Angeles"
                else "Eastern Time",
                "BillingCity": "Seattle" if new_zone == "America/Los_Angeles" else "New York",
                "BillingState": "WA" if new_zone == "America/Los_Angeles" else "NY",
                "BillingCountry": "United States",
            },
        )
    )
    # planted: a sales rep leaves; their accounts are reassigned within days
    leaver = sales[0]
    leave_ts = _in_window(rng, w, 0.3, 0.6)
    leaver.left_ts = leave_ts
    others = sales[1:]
    for c in crm:
        if c.initial["OwnerId"] == leaver.user_id:
            c.changes.append(
                (
                    leave_ts + int(rng.integers(1, 4)) * DAY + 3600,
                    {"OwnerId": _pick(rng, others).user_id},
                )
            )
    # deletes among prospects: one soft delete, one hard delete (visible in a full extract)
    prospects = [c for c in crm if c.kind == "prospect"]
    prospects[0].soft_deleted_ts = _in_window(rng, w, 0.3, 0.5)
    prospects[1].hard_deleted_ts = _in_window(rng, w, 0.25, 0.45)
    # keep changes in time order
    for c in w.companies:
        c.changes.sort(key=lambda item: item[0])
        c.zone_changes.sort()


def _change_values(
    rng: np.random.Generator, c: Company, what: str, csms: list[CrmUser]
) -> dict[str, Any]:
    cur = dict(c.initial)
    for _, ch in c.changes:
        cur.update(ch)
    if what == "industry":
        old = cur.get("Industry") or "Other"
        new = catalog.INDUSTRY_RECLASS.get(str(old).strip()) or _pick(
            rng, catalog.INDUSTRY_PICKLIST
        )
        return {"Industry": new if new != old else "Consulting"}
    if what == "csm":
        choices = [u.user_id for u in csms if u.user_id != cur.get("CSM__c")]
        return {"CSM__c": _pick(rng, choices)}
    if what == "employees":
        old_n = cur.get("NumberOfEmployees") or 10
        return {"NumberOfEmployees": max(1, int(old_n * rng.uniform(0.8, 1.6)) + 1)}
    if what == "revenue":
        old_r = cur.get("AnnualRevenue") or 1_000_000.0
        return {"AnnualRevenue": float(round(old_r * rng.uniform(0.9, 1.5), -3))}
    if what == "city":
        return {"BillingCity": str(cur.get("BillingCity") or "") + " Heights"}
    return {}  # a system-only change: SystemModstamp moves, no field does


def _people(w: World, rng: np.random.Generator) -> None:
    cfg = w.cfg
    app_companies = [c for c in w.companies if c.app_id is not None]
    all_zones = sorted({z for c in catalog.COUNTRIES for *_, z in c[4]})
    counts = []
    for c in w.companies:
        size = c.initial.get("NumberOfEmployees") or 20
        base = cfg.people_per_company * (0.55 + 0.3 * np.log10(max(size, 1)) / 2)
        if c.app_id is None:
            counts.append(int(rng.integers(1, 4)))  # CRM-only contacts at prospects
        else:
            counts.append(max(2, int(rng.poisson(base))))
    total = sum(counts)
    user_ids = ["usr_" + t for t in unique_tokens(rng, total, 12, "36")]
    contact_ids = salesforce_ids(rng, total, "003")
    devices_needed = total * 3
    anon_ids = [str(x) for x in _uuid_list(rng, devices_needed)]
    anon_iter = iter(anon_ids)
    used_emails: set[str] = set()
    for c, n in zip(w.companies, counts, strict=True):
        for k in range(n):
            first, last = _pick(rng, catalog.FIRST_NAMES), _pick(rng, catalog.LAST_NAMES)
            email = f"{first}.{last}@{c.domain}".lower()
            while email in used_emails:
                email = f"{first}.{last}{int(rng.integers(2, 99))}@{c.domain}".lower()
            used_emails.add(email)
            idx = len(w.people)
            is_app = c.app_id is not None
            if is_app:
                assert c.app_created_ts is not None
                if c.kind == "trial":
                    joined = c.app_created_ts + (0 if k == 0 else int(rng.uniform(0, 20 * DAY)))
                elif k > 0 and rng.random() < 0.2:
                    joined = _in_window(rng, w, 0.02, 0.9)  # a new colleague signs up
                else:
                    joined = c.app_created_ts + int(
                        rng.uniform(0, 1) * (w.start_ts - c.app_created_ts)
                    )
            else:
                joined = (c.crm_created_ts or w.start_ts) + int(rng.integers(0, 5)) * DAY
            zone = c.zone if rng.random() < 0.85 else _pick(rng, all_zones)
            p = Person(
                idx=idx,
                company_idx=c.idx,
                first=first,
                last=last,
                email=email,
                title=_pick(rng, catalog.TITLES),
                zone=zone,
                consent=bool(rng.random() > 0.06),
                weight=float(rng.lognormal(0, 1.0)),
                is_admin=(k == 0 and is_app),
                user_id=user_ids[idx] if is_app else None,
                joined_ts=joined,
            )
            if is_app:
                kinds = ["web"] + (
                    ["ios" if rng.random() < 0.5 else "android"] if rng.random() < 0.3 else []
                )
                for kind in kinds:
                    p.devices.append(Device(next(anon_iter), kind, _skew(rng), joined))
                if joined >= w.start_ts:
                    p.signup_campaign = (
                        int(rng.integers(len(catalog.CAMPAIGNS))) if rng.random() < 0.6 else None
                    )
                    p.uses_alias = bool(rng.random() < 0.3)
                elif rng.random() < 0.1:
                    # a new laptop: anonymous visits, then a login links the new anonymousId
                    p.devices.append(
                        Device(next(anon_iter), "web", _skew(rng), _in_window(rng, w, 0.1, 0.9))
                    )
            has_contact = (not is_app) or (c.crm_id is not None and rng.random() < 0.65)
            if has_contact and c.crm_id is not None:
                p.contact_id = contact_ids[idx]
                base_ts = max(joined, c.crm_created_ts or joined)
                p.contact_created_ts = base_ts + int(rng.integers(0, 3)) * DAY
                p.contact_links_app = is_app and rng.random() < 0.85
            w.people.append(p)
    # planted: one person of the first app company never consents to analytics
    first_app = app_companies[0]
    next(p for p in w.people if p.company_idx == first_app.idx).consent = False


def _uuid_list(rng: np.random.Generator, n: int) -> list[str]:
    from c360.generate.randomness import uuids

    return uuids(rng, n).to_list()


def _skew(rng: np.random.Generator) -> int:
    """Device clock error: mostly a second or two, sometimes minutes or hours, rarely days."""
    r = rng.random()
    if r < 0.88:
        return int(rng.integers(-2, 3))
    if r < 0.98:
        return int(rng.integers(-7200, 7200))
    return int(rng.choice([-1, 1]) * rng.integers(1, 4) * DAY)


def _people_changes(w: World, rng: np.random.Generator) -> None:
    """Title and email changes, moves between companies, contact deletes."""
    app_people = [p for p in w.people if p.user_id is not None]
    app_companies = [c for c in w.companies if c.app_id is not None and c.kind == "customer"]
    years = w.span() / YEAR
    for p in app_people:
        if rng.random() < 0.12 * years:
            when = max(_in_window(rng, w), p.joined_ts + DAY)
            if when < w.end_ts:
                p.changes.append((when, {"title": _pick(rng, catalog.TITLES)}))
    # planted (plus random): an email change, a person who moves to another company
    linked = [p for p in app_people if p.contact_id is not None and p.joined_ts < w.start_ts]
    email_changers = linked[:1] + [p for p in linked[1:] if rng.random() < 0.04 * years]
    for p in email_changers:
        when = _in_window(rng, w, 0.3, 0.7)
        c = w.companies[p.company_idx]
        p.changes.append((when, {"email": f"{p.first[0]}{p.last}@{c.domain}".lower()}))
    titled = [p for p in linked if not any("title" in ch for _, ch in p.changes)]
    if titled:
        titled[0].changes.append((_in_window(rng, w, 0.2, 0.4), {"title": "Head of Data"}))
    changed_email = {p.idx for p in email_changers}
    movers = [p for p in linked if p.idx not in changed_email]
    movers = movers[1:2] + [p for p in movers[2:] if rng.random() < 0.02 * years]
    for p in movers:
        targets = [c for c in app_companies if c.idx != p.company_idx and c.crm_id is not None]
        new = _pick(rng, targets)
        when = _in_window(rng, w, 0.4, 0.8)
        p.changes.append(
            (
                when,
                {
                    "company_idx": new.idx,
                    "email": f"{p.first}.{p.last}@{new.domain}".lower(),
                },
            )
        )
    # contact deletes: one soft, one hard (plus those of deleted accounts, by cascade)
    intact = {
        c.idx
        for c in w.companies
        if c.crm_id is not None and c.soft_deleted_ts is None and c.hard_deleted_ts is None
    }
    contacts = [
        p
        for p in w.people
        if p.contact_id is not None and not p.is_admin and p.company_idx in intact and not p.changes
    ]
    if len(contacts) >= 2:
        contacts[-1].soft_deleted_ts = _in_window(rng, w, 0.3, 0.5)
        contacts[-2].hard_deleted_ts = _in_window(rng, w, 0.25, 0.45)
    for p in w.people:
        c = w.companies[p.company_idx]
        if p.contact_id is None:
            continue
        if c.soft_deleted_ts is not None and p.soft_deleted_ts is None:
            p.soft_deleted_ts = c.soft_deleted_ts
        if c.hard_deleted_ts is not None:
            p.hard_deleted_ts = c.hard_deleted_ts
        p.changes.sort(key=lambda item: item[0])
