"""The tables, in SQLAlchemy Core: one definition for SQLite and PostgreSQL."""

import sqlalchemy as sa

metadata = sa.MetaData()

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Ms = sa.BigInteger

apps = sa.Table(
    "apps",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(500), nullable=False),
    sa.Column("created_at_ms", Ms, nullable=False),
)

app_credentials = sa.Table(
    "app_credentials",
    metadata,
    sa.Column("app", sa.String(200), sa.ForeignKey("apps.id"), primary_key=True),
    sa.Column("dialect", sa.String(50), primary_key=True),
    sa.Column("lookup_key", sa.String(500), nullable=False),
    sa.Column("config", sa.Text, nullable=False),
    sa.UniqueConstraint("dialect", "lookup_key", name="uq_app_credentials_lookup"),
)

affiliate_network = sa.Table(
    "affiliate_network",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("config", sa.Text, nullable=False),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("received_at_ms", Ms, nullable=False),
    sa.Column("dialect", sa.String(50), nullable=False),
    sa.Column("app", sa.String(200)),
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("method", sa.String(16), nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("headers", sa.Text, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("body_truncated", sa.Boolean, nullable=False),
    sa.Column("client_ip", sa.String(64)),
    sa.Index("ix_outcomes_app_id", "app", "id"),
    sa.Index("ix_outcomes_received_at", "received_at_ms"),
    sa.Index("ix_outcomes_reason_id", "reason", "id"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("outcome_id", Id, nullable=False),
    sa.Column("app", sa.String(200), nullable=False),
    sa.Column("dialect", sa.String(50), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(500), nullable=False),
    sa.Column("event_time_ms", Ms, nullable=False),
    sa.Column("received_at_ms", Ms, nullable=False),
    sa.Column("original_time_ms", Ms),
    sa.Column("revenue_micros", sa.BigInteger),
    sa.Column("currency", sa.String(3)),
    sa.Column("reporting_revenue_micros", sa.BigInteger),
    sa.Column("ids", sa.Text, nullable=False),
    sa.Column("properties", sa.Text, nullable=False),
    sa.Column("flags", sa.Text, nullable=False),
    sa.Index("ix_events_app_id", "app", "id"),
    sa.Index("ix_events_event_time", "event_time_ms"),
    sa.Index("ix_events_app_time", "app", "event_time_ms"),
    sa.Index("ix_events_outcome", "outcome_id"),
)

event_identities = sa.Table(
    "event_identities",
    metadata,
    sa.Column("id_value", sa.String(500), primary_key=True),
    sa.Column("event_id", Id, primary_key=True),
    sa.Column("id_type", sa.String(50), primary_key=True),
    sa.Column("app", sa.String(200), nullable=False),
)

identity_links = sa.Table(
    "identity_links",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("left_type", sa.String(50), primary_key=True),
    sa.Column("left_value", sa.String(500), primary_key=True),
    sa.Column("right_type", sa.String(50), primary_key=True),
    sa.Column("right_value", sa.String(500), primary_key=True),
    sa.Column("created_at_ms", Ms, nullable=False),
    sa.Index("ix_identity_links_right_value", "right_value", "app", "left_value"),
    sa.Index("ix_identity_links_left_value", "left_value", "app", "right_value"),
)

dedup_keys = sa.Table(
    "dedup_keys",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("dialect", sa.String(50), primary_key=True),
    sa.Column("key", sa.String(500), primary_key=True),
    sa.Column("created_at_ms", Ms, nullable=False),
)

sequence_state = sa.Table(
    "sequence_state",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("scope", sa.String(700), primary_key=True),
    sa.Column("major", sa.BigInteger, nullable=False),
    sa.Column("minor", sa.BigInteger, nullable=False),
    sa.Column("updated_at_ms", Ms, nullable=False),
)

rate_windows = sa.Table(
    "rate_windows",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("dialect", sa.String(50), primary_key=True),
    sa.Column("window_start_ms", Ms, primary_key=True),
    sa.Column("requests", sa.BigInteger, nullable=False),
)

daily_event_totals = sa.Table(
    "daily_event_totals",
    metadata,
    sa.Column("day", sa.Integer, primary_key=True),
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("dialect", sa.String(50), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("name", sa.String(500), primary_key=True),
    sa.Column("events", sa.BigInteger, nullable=False),
    sa.Column("reporting_revenue_micros", sa.BigInteger, nullable=False),
)

daily_outcome_totals = sa.Table(
    "daily_outcome_totals",
    metadata,
    sa.Column("day", sa.Integer, primary_key=True),
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("dialect", sa.String(50), primary_key=True),
    sa.Column("reason", sa.String(40), primary_key=True),
    sa.Column("requests", sa.BigInteger, nullable=False),
)

# --- chartboost (migration 0002): first label per field, label conflicts, players' levels ---

chartboost_labels = sa.Table(
    "chartboost_labels",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("event_field", sa.Integer, primary_key=True),
    sa.Column("label", sa.String(500), nullable=False),
    sa.Column("first_seen_ms", Ms, nullable=False),
)

chartboost_label_conflicts = sa.Table(
    "chartboost_label_conflicts",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("event_field", sa.Integer, primary_key=True),
    sa.Column("label", sa.String(500), primary_key=True),
    sa.Column("events", sa.BigInteger, nullable=False),
    sa.Column("first_seen_ms", Ms, nullable=False),
    sa.Column("last_seen_ms", Ms, nullable=False),
)

chartboost_levels = sa.Table(
    "chartboost_levels",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("event_field", sa.Integer, primary_key=True),
    sa.Column("player", sa.String(200), primary_key=True),
    sa.Column("main_level", sa.BigInteger, nullable=False),
    sa.Column("sub_level", sa.BigInteger, nullable=False),
    sa.Column("label", sa.String(500), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("updated_at_ms", Ms, nullable=False),
    sa.Index("ix_chartboost_levels_rank", "app", "event_field", "main_level", "sub_level"),
)

# --- install_postback: installs, the device ids they attribute, attributed events (0004) ---

installs = sa.Table(
    "installs",
    metadata,
    sa.Column("event_id", Id, primary_key=True),
    sa.Column("app", sa.String(200), nullable=False),
    sa.Column("publisher", sa.String(500), nullable=False),
    sa.Column("campaign", sa.String(500)),
    sa.Column("campaign_id", sa.String(500)),
    sa.Column("sub_parameters", sa.Text, nullable=False),
    sa.Column("install_time_ms", Ms, nullable=False),
    sa.Column("cost_micros", sa.BigInteger),
    sa.Column("reporting_cost_micros", sa.BigInteger),
)

install_devices = sa.Table(
    "install_devices",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("id_value", sa.String(500), primary_key=True),
    sa.Column("id_type", sa.String(50), primary_key=True),
    sa.Column("install_event_id", Id, nullable=False),
    sa.Column("created_at_ms", Ms, nullable=False),
)

event_attribution = sa.Table(
    "event_attribution",
    metadata,
    sa.Column("event_id", Id, primary_key=True),
    sa.Column("app", sa.String(200), nullable=False),
    sa.Column("install_event_id", Id, nullable=False),
    sa.Column("publisher", sa.String(500), nullable=False),
    sa.Column("campaign", sa.String(500)),
    sa.Column("campaign_id", sa.String(500)),
)

daily_attribution_totals = sa.Table(
    "daily_attribution_totals",
    metadata,
    sa.Column("day", sa.Integer, primary_key=True),
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("publisher", sa.String(500), primary_key=True),
    sa.Column("campaign", sa.String(500), primary_key=True),
    sa.Column("installs", sa.BigInteger, nullable=False),
    sa.Column("cost_micros", sa.BigInteger, nullable=False),
    sa.Column("reporting_cost_micros", sa.BigInteger, nullable=False),
    sa.Column("events", sa.BigInteger, nullable=False),
    sa.Column("revenue_micros", sa.BigInteger, nullable=False),
)

# --- end install_postback ---

# --- segmentstream (migration 0003): orders' latest state and their history ---

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("order_id", sa.String(500), primary_key=True),
    sa.Column("status", sa.String(200)),
    sa.Column("total_micros", sa.BigInteger),
    sa.Column("currency", sa.String(3)),
    sa.Column("reporting_revenue_micros", sa.BigInteger, nullable=False),
    sa.Column("completed", sa.Boolean, nullable=False),
    sa.Column("refunded", sa.Boolean, nullable=False),
    sa.Column("created_at_ms", Ms, nullable=False),
    sa.Column("updated_at_ms", Ms, nullable=False),
)

order_history = sa.Table(
    "order_history",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("app", sa.String(200), nullable=False),
    sa.Column("order_id", sa.String(500), nullable=False),
    sa.Column("outcome_id", Id, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("status", sa.String(200)),
    sa.Column("total_micros", sa.BigInteger),
    sa.Column("currency", sa.String(3)),
    sa.Column("revenue_change_micros", sa.BigInteger, nullable=False),
    sa.Column("reporting_revenue_micros", sa.BigInteger, nullable=False),
    sa.Column("flags", sa.Text, nullable=False),
    sa.Column("changed_at_ms", Ms, nullable=False),
    sa.Index("ix_order_history_order", "app", "order_id", "id"),
)

# --- end segmentstream ---

# --- affiliate (migration 0005): offers, their events, affiliates, postback tokens, clicks,
# conversions and daily report totals. Money is in micro-units of the offer's currency. ---

offers = sa.Table(
    "offers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("app", sa.String(200)),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("revenue_type", sa.String(10), nullable=False),
    sa.Column("revenue_micros", sa.BigInteger, nullable=False),
    sa.Column("payout_type", sa.String(10), nullable=False),
    sa.Column("payout_micros", sa.BigInteger, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at_ms", Ms, nullable=False),
    sa.Column("updated_at_ms", Ms, nullable=False),
)

offer_events = sa.Table(
    "offer_events",
    metadata,
    sa.Column("offer_id", sa.Integer, sa.ForeignKey("offers.id"), primary_key=True),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("revenue_type", sa.String(10), nullable=False),
    sa.Column("revenue_micros", sa.BigInteger, nullable=False),
    sa.Column("payout_type", sa.String(10), nullable=False),
    sa.Column("payout_micros", sa.BigInteger, nullable=False),
    sa.Column("allow_multiple", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at_ms", Ms, nullable=False),
    sa.Column("updated_at_ms", Ms, nullable=False),
    sa.UniqueConstraint("offer_id", "name", name="uq_offer_events_name"),
)

affiliates = sa.Table(
    "affiliates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at_ms", Ms, nullable=False),
    sa.Column("updated_at_ms", Ms, nullable=False),
)

affiliate_tokens = sa.Table(
    "affiliate_tokens",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("token", sa.String(200), nullable=False),
    # Both NULL: the network's global token; offer only: that offer's; both: that event's.
    sa.Column("offer_id", sa.Integer, sa.ForeignKey("offers.id")),
    sa.Column("event_id", sa.Integer),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("provisioned", sa.Boolean, nullable=False),
    sa.Column("created_at_ms", Ms, nullable=False),
    sa.Column("updated_at_ms", Ms, nullable=False),
    sa.UniqueConstraint("token", name="uq_affiliate_tokens_token"),
)

affiliate_clicks = sa.Table(
    "affiliate_clicks",
    metadata,
    sa.Column("transaction_id", sa.String(100), primary_key=True),
    sa.Column("offer_id", sa.Integer, nullable=False),
    sa.Column("aff_id", sa.Integer, nullable=False),
    sa.Column("aff_sub", sa.Text),
    sa.Column("aff_sub2", sa.Text),
    sa.Column("aff_sub3", sa.Text),
    sa.Column("aff_sub4", sa.Text),
    sa.Column("aff_sub5", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("ip", sa.String(64)),
    sa.Column("user_agent", sa.Text),
    sa.Column("referrer", sa.Text),
    sa.Column("destination", sa.Text),
    sa.Column("clicked_at_ms", Ms, nullable=False),
    sa.Column("event_id", Id, nullable=False),
    sa.Column("outcome_id", Id, nullable=False),
    sa.Index("ix_affiliate_clicks_offer", "offer_id", "clicked_at_ms"),
)

affiliate_conversions = sa.Table(
    "affiliate_conversions",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("transaction_id", sa.String(100), nullable=False),
    sa.Column("offer_id", sa.Integer, nullable=False),
    sa.Column("aff_id", sa.Integer, nullable=False),
    # NULL: the base conversion; else the offer event's id and name.
    sa.Column("offer_event_id", sa.Integer),
    sa.Column("event_name", sa.String(200)),
    # approved, or rejected with the reason (duplicate, no_conversion).
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(40)),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("purchase_value_micros", sa.BigInteger),
    sa.Column("revenue_micros", sa.BigInteger, nullable=False),
    sa.Column("payout_micros", sa.BigInteger, nullable=False),
    sa.Column("profit_micros", sa.BigInteger, nullable=False),
    sa.Column("adv_sub_id", sa.Text),
    sa.Column("adv_sub_id_2", sa.Text),
    sa.Column("adv_sub_id_3", sa.Text),
    sa.Column("adv_sub_id_4", sa.Text),
    sa.Column("adv_sub_id_5", sa.Text),
    sa.Column("adv_sub_id_6", sa.Text),
    sa.Column("external_transaction_id", sa.Text),
    sa.Column("user_email", sa.Text),
    sa.Column("device_id", sa.Text),
    sa.Column("received_at_ms", Ms, nullable=False),
    sa.Column("event_id", Id),
    sa.Column("outcome_id", Id, nullable=False),
    sa.Index("ix_affiliate_conversions_transaction", "transaction_id", "id"),
    sa.Index("ix_affiliate_conversions_offer", "offer_id", "received_at_ms"),
)

# One row per day x offer x affiliate x offer event (0: clicks and base conversions).
affiliate_daily_totals = sa.Table(
    "affiliate_daily_totals",
    metadata,
    sa.Column("day", sa.Integer, primary_key=True),
    sa.Column("offer_id", sa.Integer, primary_key=True),
    sa.Column("aff_id", sa.Integer, primary_key=True),
    sa.Column("offer_event_id", sa.Integer, primary_key=True),
    sa.Column("clicks", sa.BigInteger, nullable=False),
    sa.Column("conversions", sa.BigInteger, nullable=False),
    sa.Column("events", sa.BigInteger, nullable=False),
    sa.Column("revenue_micros", sa.BigInteger, nullable=False),
    sa.Column("payout_micros", sa.BigInteger, nullable=False),
)

# Postbacks not accepted, by the reason answered (0: offer, affiliate or event not known).
affiliate_daily_refusals = sa.Table(
    "affiliate_daily_refusals",
    metadata,
    sa.Column("day", sa.Integer, primary_key=True),
    sa.Column("offer_id", sa.Integer, primary_key=True),
    sa.Column("aff_id", sa.Integer, primary_key=True),
    sa.Column("offer_event_id", sa.Integer, primary_key=True),
    sa.Column("reason", sa.String(40), primary_key=True),
    sa.Column("requests", sa.BigInteger, nullable=False),
)

# --- end affiliate ---
