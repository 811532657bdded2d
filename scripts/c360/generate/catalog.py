"""Fixed vocabulary of the synthetic world: countries, zones, industries, plans, events.

Plain data only. Weights are relative; ``pick`` helpers live in the modules
that sample from these lists.
"""

from __future__ import annotations

# country name as a CRM rep types it, ISO code, billing currency, [(state, city, zone, weight)]
COUNTRIES: list[tuple[str, str, str, float, list[tuple[str, str, str]]]] = [
    (
        "United States",
        "US",
        "usd",
        0.46,
        [
            ("NY", "New York", "America/New_York"),
            ("MA", "Boston", "America/New_York"),
            ("IL", "Chicago", "America/Chicago"),
            ("TX", "Austin", "America/Chicago"),
            ("CO", "Denver", "America/Denver"),
            ("AZ", "Phoenix", "America/Phoenix"),
            ("CA", "San Francisco", "America/Los_Angeles"),
            ("WA", "Seattle", "America/Los_Angeles"),
        ],
    ),
    ("Canada", "CA", "usd", 0.04, [("ON", "Toronto", "America/Toronto")]),
    ("United Kingdom", "GB", "gbp", 0.09, [("", "London", "Europe/London")]),
    ("Germany", "DE", "eur", 0.09, [("", "Berlin", "Europe/Berlin")]),
    ("France", "FR", "eur", 0.05, [("", "Paris", "Europe/Paris")]),
    ("Netherlands", "NL", "eur", 0.03, [("", "Amsterdam", "Europe/Amsterdam")]),
    ("Japan", "JP", "jpy", 0.07, [("", "Tokyo", "Asia/Tokyo")]),
    ("India", "IN", "usd", 0.05, [("", "Bengaluru", "Asia/Kolkata")]),
    ("Nepal", "NP", "usd", 0.01, [("", "Kathmandu", "Asia/Kathmandu")]),
    (
        "Australia",
        "AU",
        "usd",
        0.05,
        [
            ("NSW", "Sydney", "Australia/Sydney"),
            ("SA", "Adelaide", "Australia/Adelaide"),
        ],
    ),
    ("New Zealand", "NZ", "usd", 0.02, [("", "Auckland", "Pacific/Auckland")]),
    ("Brazil", "BR", "usd", 0.04, [("SP", "Sao Paulo", "America/Sao_Paulo")]),
]

# How reps type a zone into Time_Zone__c, per IANA zone: colloquial/Windows names,
# abbreviations and fixed offsets a person would write for it.
ZONE_TEXTS: dict[str, list[str]] = {
    "America/New_York": [
        "Eastern Time",
        "Eastern Standard Time",
        "Eastern Time (US & Canada)",
        "EST",
        "ET",
        "GMT-5",
        "UTC-05:00",
    ],
    "America/Toronto": ["Eastern Time", "EST", "Eastern Standard Time"],
    "America/Chicago": ["Central Time", "Central Standard Time", "CST", "US/Central", "GMT-6"],
    "America/Denver": ["Mountain Time", "Mountain Standard Time", "MST", "US/Mountain"],
    "America/Phoenix": ["Arizona", "US Mountain Standard Time", "MST", "-0700"],
    "America/Los_Angeles": [
        "Pacific Time",
        "Pacific Standard Time",
        "PST",
        "PT",
        "Pacific Time (US & Canada)",
        "US/Pacific",
        "GMT-8",
    ],
    "America/Sao_Paulo": ["E. South America Standard Time", "Brasilia Time", "BRT", "GMT-3"],
    "Europe/London": ["GMT", "GMT Standard Time", "UK time", "Greenwich Mean Time"],
    "Europe/Berlin": [
        "CET",
        "Central European Time",
        "W. Europe Standard Time",
        "GMT+1",
        "+0100",
        "Berlin",
    ],
    "Europe/Paris": ["CET", "Romance Standard Time", "Central European Time", "UTC+1"],
    "Europe/Amsterdam": ["CET", "W. Europe Standard Time", "GMT+2"],
    "Asia/Tokyo": ["JST", "Tokyo Standard Time", "Japan", "GMT+9", "UTC+09:00"],
    "Asia/Kolkata": ["India Standard Time", "Asia/Calcutta", "UTC+05:30", "GMT+5:30"],
    "Asia/Kathmandu": ["Nepal Standard Time", "UTC+05:45", "+0545"],
    "Australia/Sydney": ["AEST", "AUS Eastern Standard Time", "Sydney", "GMT+10"],
    "Australia/Adelaide": ["ACST", "Cen. Australia Standard Time", "UTC+09:30"],
    "Pacific/Auckland": ["NZST", "New Zealand Standard Time", "GMT+12"],
}

# Free text nobody can map to a zone.
ZONE_GARBAGE = ["TBD", "see notes", "Mountain-ish", "N/A", "local", "East coast?", "GMT+25"]

# Salesforce's standard Industry picklist, and how it looks in practice.
INDUSTRY_PICKLIST = [
    "Agriculture",
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Environmental",
    "Finance",
    "Food & Beverage",
    "Government",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Machinery",
    "Manufacturing",
    "Media",
    "Not For Profit",
    "Other",
    "Recreation",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
]
INDUSTRY_FREE_TEXT = [
    "technology",
    " Retail ",
    "Hi-Tech",
    "Software",
    "SaaS",
    "Ticketing",
    "Online Ticketing",
    "Fin Tech",
    "Entertainment & Media",
    "health care",
    "HEALTHCARE",
    "E-commerce",
    "Live Events",
    "Unknown",
    "Logistics",
]
# Reclassifications a rep makes: from -> to.
INDUSTRY_RECLASS = {
    "Technology": "Software",
    "Entertainment": "Ticketing",
    "Retail": "E-commerce",
    "Media": "Entertainment & Media",
    "Finance": "Fin Tech",
    "Other": "Consulting",
}

NAME_PREFIXES = [
    "Acme",
    "Blue Harbor",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Pied Piper",
    "Vandelay",
    "Wonka",
    "Aperture",
    "Black Mesa",
    "Oscorp",
    "Gringotts",
    "Monarch",
    "Sirius",
    "Prestige",
    "Dunder",
    "Kyoto",
    "Sakura",
    "Alpen",
    "Lumen",
    "Nimbus",
    "Quantum",
    "Vertex",
    "Everest",
    "Fjord",
    "Cedar",
    "Harbor",
    "Summit",
    "Redwood",
    "Granite",
    "Atlas",
    "Beacon",
    "Copper",
    "Delta",
    "Ember",
]
NAME_SUFFIXES = [
    "Analytics",
    "Logistics",
    "Labs",
    "Systems",
    "Tickets",
    "Retail",
    "Health",
    "Media",
    "Foods",
    "Energy",
    "Capital",
    "Studios",
    "Works",
    "Networks",
    "Events",
    "Robotics",
    "Apparel",
    "Bank",
    "Insurance",
    "Travel",
]
FIRST_NAMES = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "Yuki",
    "Hiroshi",
    "Priya",
    "Arjun",
    "Sofia",
    "Lukas",
    "Emma",
    "Noah",
    "Olivia",
    "Liam",
    "Mateo",
    "Camila",
    "Chloe",
    "Hugo",
    "Aiko",
    "Ravi",
    "Anika",
    "Sven",
    "Ingrid",
    "Pedro",
    "Lucia",
    "Omar",
    "Fatima",
    "Wei",
    "Mei",
    "Kenji",
    "Zoe",
    "Ethan",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Tanaka",
    "Suzuki",
    "Sharma",
    "Patel",
    "Muller",
    "Schmidt",
    "Dubois",
    "Martin",
    "Rossi",
    "Silva",
    "Kim",
    "Lee",
    "Chen",
    "Wang",
    "Nguyen",
    "Khan",
    "Novak",
    "Larsen",
    "Berg",
    "Okafor",
]
TITLES = [
    "Data Analyst",
    "Senior Data Analyst",
    "Analytics Engineer",
    "Head of Data",
    "Product Manager",
    "Senior Product Manager",
    "VP Engineering",
    "Software Engineer",
    "Marketing Manager",
    "Operations Lead",
    "CTO",
    "CEO",
    "Customer Success Manager",
    "Finance Manager",
    "IT Administrator",
]
LEAD_SOURCES = ["Web", "Partner Referral", "Trade Show", "Webinar", "Outbound", "Product Signup"]
ACCOUNT_SOURCES = ["Web", "Partner Referral", "Trade Show", "Outbound", "Product Signup"]
CRM_USER_TITLES = {
    "sales": "Account Executive",
    "csm": "Customer Success Manager",
    "admin": "Salesforce Administrator",
}

# Billing plans: product id suffix, name, plan key, monthly unit amount (USD cents).
PLANS = [
    ("starter", "Starter", 4_900),
    ("growth", "Growth", 19_900),
    ("enterprise", "Enterprise", 79_900),
]
PLAN_ORDER = [p[0] for p in PLANS]
CURRENCIES = ["usd", "eur", "gbp", "jpy"]
# Minor units per major unit, and a rough price-list factor against USD.
CURRENCY_MINOR = {"usd": 100, "eur": 100, "gbp": 100, "jpy": 1}
CURRENCY_FACTOR = {"usd": 1.0, "eur": 0.95, "gbp": 0.8, "jpy": 150.0}

# Features and the plans that include them (the later plan_entitlements seed mirrors this).
FEATURES_BY_PLAN = {
    "starter": ["dashboards", "reports"],
    "growth": ["dashboards", "reports", "alerts", "integrations", "data_export", "api_access"],
    "enterprise": [
        "dashboards",
        "reports",
        "alerts",
        "integrations",
        "data_export",
        "api_access",
        "sso",
        "audit_log",
        "custom_roles",
    ],
}
# Toggled in the app (beta and opt-in features), not by plan.
TOGGLE_FEATURES = ["ai_assistant", "alerts", "data_export"]

# Track events: name, feature (or ''), property template (``{id}`` and ``{n}`` are
# filled per row), the properties the event dictionary will require.
TRACK_EVENTS: list[tuple[str, str, str, float]] = [
    ("Signed In", "", '{{"method":"{method}"}}', 10.0),
    (
        "Dashboard Viewed",
        "dashboards",
        '{{"feature":"dashboards","dashboard_id":"dash_{id}"}}',
        14.0,
    ),
    (
        "Dashboard Created",
        "dashboards",
        '{{"feature":"dashboards","dashboard_id":"dash_{id}","widgets":{n}}}',
        2.0,
    ),
    (
        "Report Created",
        "reports",
        '{{"feature":"reports","report_id":"rep_{id}","format":"{fmt}"}}',
        4.0,
    ),
    (
        "Report Exported",
        "reports",
        '{{"feature":"reports","report_id":"rep_{id}","format":"{fmt}","rows":{n}}}',
        2.0,
    ),
    (
        "Alert Created",
        "alerts",
        '{{"feature":"alerts","alert_id":"alr_{id}","channel":"{chan}"}}',
        1.5,
    ),
    ("Alert Triggered", "alerts", '{{"feature":"alerts","alert_id":"alr_{id}"}}', 2.5),
    (
        "Integration Connected",
        "integrations",
        '{{"feature":"integrations","integration":"{integ}"}}',
        0.6,
    ),
    (
        "Data Exported",
        "data_export",
        '{{"feature":"data_export","rows":{n},"format":"{fmt}"}}',
        1.2,
    ),
    ("API Key Created", "api_access", '{{"feature":"api_access","key_id":"key_{id}"}}', 0.3),
    ("API Request Batch", "api_access", '{{"feature":"api_access","requests":{n}}}', 3.0),
    ("SSO Configured", "sso", '{{"feature":"sso","provider":"{idp}"}}', 0.1),
    ("Audit Log Viewed", "audit_log", '{{"feature":"audit_log"}}', 0.5),
    ("Role Created", "custom_roles", '{{"feature":"custom_roles","role_id":"role_{id}"}}', 0.2),
    ("AI Prompt Submitted", "ai_assistant", '{{"feature":"ai_assistant","tokens":{n}}}', 1.5),
    ("Invite Sent", "", '{{"invitee_role":"{role}"}}', 0.8),
    ("Search Performed", "", '{{"query_length":{n}}}', 4.0),
    ("Settings Updated", "", '{{"section":"{section}"}}', 0.7),
]
# Names no event dictionary lists: typos and test events that real trackers emit.
GARBAGE_EVENTS = ["dashboard_viewed", "Reprot Created", "Test Event", "button_click"]

PAGES = [
    ("Home", "/"),
    ("Pricing", "/pricing"),
    ("Docs", "/docs"),
    ("Blog", "/blog"),
    ("Signup", "/signup"),
    ("Login", "/login"),
    ("Dashboard", "/app/dashboard"),
    ("Reports", "/app/reports"),
    ("Settings", "/app/settings"),
    ("Integrations", "/app/integrations"),
]
MARKETING_PAGES = 6  # the first N pages are the public site
SCREENS = ["Dashboard", "Reports", "Alerts", "Settings", "Login"]

CAMPAIGNS = [
    ("google", "cpc", "brand_search", "customer analytics", ""),
    ("linkedin", "paid_social", "q3_abm", "", "carousel_a"),
    ("newsletter", "email", "product_update_oct", "", ""),
    ("g2", "referral", "review_page", "", ""),
    ("facebook", "paid_social", "retargeting", "", "video_15s"),
    ("partner", "referral", "partner_webinar", "", ""),
]

LIBRARIES = {
    "web": ("analytics.js", "5.2.1"),
    "ios": ("analytics-ios", "4.1.8"),
    "android": ("analytics-android", "4.11.3"),
    "server": ("analytics-python", "2.3.2"),
}
LOCALES = {
    "US": "en-US",
    "CA": "en-CA",
    "GB": "en-GB",
    "DE": "de-DE",
    "FR": "fr-FR",
    "NL": "nl-NL",
    "JP": "ja-JP",
    "IN": "en-IN",
    "NP": "ne-NP",
    "AU": "en-AU",
    "NZ": "en-NZ",
    "BR": "pt-BR",
}

TICKET_PRIORITIES = (["low", "normal", "high", "urgent"], [0.25, 0.5, 0.2, 0.05])
TICKET_CHANNELS = (["email", "web", "chat", "api"], [0.45, 0.3, 0.2, 0.05])
NPS_COMMENTS = [
    "Love the dashboards",
    "Reports are slow sometimes",
    "Great support team",
    "Too expensive for what we use",
    "SSO setup was painful",
    "Exports save us hours",
    "Missing an integration with our CRM",
    "",
    "",
]
