using PerpGuard.Core.Cascade;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Alerts;

/// <summary>A user's alert thresholds, as the sweep reads them.</summary>
/// <param name="Levels">Distance levels as fractions of mark, strictly decreasing (0.20, 0.10, 0.05, 0.02).</param>
/// <param name="HitChance">Hit-chance threshold within the horizon (0.10).</param>
/// <param name="FundingShare">Share of margin that 24 h of funding may cost before an alert (0.05).</param>
public sealed record AlertThresholds(double[] Levels, double HitChance, double FundingShare);

/// <summary>One position as the sweep evaluates it: everything that does not change with the market, computed once.</summary>
public readonly struct WatchedPosition
{
    /// <summary>An empty position (entry unknown until set).</summary>
    public WatchedPosition()
    {
    }

    /// <summary>Index of the position's symbol in the sweep's <see cref="SymbolSignal"/> table.</summary>
    public int Symbol { get; init; }
    /// <summary>Long or short.</summary>
    public PositionSide Side { get; init; }
    /// <summary>Liquidation price; NaN when the position cannot be liquidated.</summary>
    public double Liquidation { get; init; }
    /// <summary>Size: base units (linear) or contracts (inverse).</summary>
    public double Quantity { get; init; }
    /// <summary>Inverse contract size in USD; 0 for linear.</summary>
    public double InverseContractSize { get; init; }
    /// <summary>Isolated margin or cross wallet, in the settle currency (what funding is compared with).</summary>
    public double Collateral { get; init; }
    /// <summary>Entry price (for the auto-deleveraging rank); NaN when unknown.</summary>
    public double Entry { get; init; } = double.NaN;

    /// <summary>Unrealized PnL at <paramref name="price"/> in the settle currency: linear <c>s·Q·(P − E)</c>, inverse <c>s·Q·CS·(1/E − 1/P)</c>.</summary>
    public double UnrealizedPnl(double price) =>
        (int)Side * (InverseContractSize > 0 ? Quantity * InverseContractSize * (1 / Entry - 1 / price) : Quantity * (price - Entry));

    /// <summary>Notional at <paramref name="price"/> in the settle currency.</summary>
    public double Notional(double price) => InverseContractSize > 0 ? Quantity * InverseContractSize / price : Quantity * price;

    /// <summary>Payment by the position over one funding period at <paramref name="price"/>: linear <c>s·Q·P·F</c>, inverse <c>s·Q·CS/P·F</c>.</summary>
    public double FundingPayment(double price, double rate) => (int)Side * Notional(price) * rate;
}

/// <summary>A per-user symbol subscription that is not a position: an invalidation rule, or the stale-data notice.</summary>
/// <param name="Symbol">Index into the symbol table.</param>
/// <param name="Kind"><see cref="AlertKind.Rule"/> or <see cref="AlertKind.Stale"/>.</param>
/// <param name="Signal">For a rule: index into the sweep's rule signals.</param>
public readonly record struct AlertSubscription(int Symbol, AlertKind Kind, int Signal);

/// <summary>
/// A user in the sweep: thresholds, positions, subscriptions, and one <see cref="AlertState"/> per key: first
/// <see cref="AlertKinds.PositionSlots"/> per position (in <see cref="AlertKinds.PerPosition"/> order), then one per subscription.
/// </summary>
public sealed class AlertUser
{
    /// <summary>Creates a user with all keys armed.</summary>
    public AlertUser(long id, AlertThresholds thresholds, WatchedPosition[] positions, AlertSubscription[] subscriptions)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(subscriptions);
        Id = id;
        Thresholds = thresholds;
        Positions = positions;
        Subscriptions = subscriptions;
        States = new AlertState[positions.Length * AlertKinds.PositionSlots + subscriptions.Length];
    }

    /// <summary>The user's database id.</summary>
    public long Id { get; }
    /// <summary>Thresholds.</summary>
    public AlertThresholds Thresholds { get; }
    /// <summary>Positions.</summary>
    public WatchedPosition[] Positions { get; }
    /// <summary>Rules and stale notices.</summary>
    public AlertSubscription[] Subscriptions { get; }
    /// <summary>One state per key (see the class summary for the layout).</summary>
    public AlertState[] States { get; }

    /// <summary>The state slot of a position's kind.</summary>
    public static int Slot(int position, AlertKind kind) => position * AlertKinds.PositionSlots + AlertKinds.SlotOf(kind);

    /// <summary>The state slot of a subscription.</summary>
    public int SubscriptionSlot(int subscription) => Positions.Length * AlertKinds.PositionSlots + subscription;
}

/// <summary>A price band that makes a liquidation price part of a cascade, with the level it earns.</summary>
/// <param name="Low">Lower price bound.</param>
/// <param name="High">Upper price bound.</param>
/// <param name="Level">1: a cluster with high stressed coverage, or the cheapest chain's path; 2: a cluster with critical coverage.</param>
/// <param name="Cluster">Index of the cluster in the side's list, or −1 for the chain's path.</param>
public readonly record struct CascadeZone(double Low, double High, byte Level, int Cluster);

/// <summary>One symbol's market, fresh, for one sweep. Everything missing is NaN or null, and is then not alerted on.</summary>
public sealed class SymbolSignal
{
    /// <summary>Prices are fresh: only then are the symbol's positions and rules evaluated.</summary>
    public bool Fresh { get; set; }
    /// <summary>Prices have been stale long enough for a notice (and had been seen before).</summary>
    public bool StaleNotice { get; set; }
    /// <summary>Mark price.</summary>
    public double Mark { get; set; } = double.NaN;
    /// <summary>Current (predicted) funding rate per period.</summary>
    public double FundingRate { get; set; } = double.NaN;
    /// <summary>Funding periods in the next 24 h (24 ÷ interval hours).</summary>
    public double FundingPeriodsPerDay { get; set; } = double.NaN;
    /// <summary>Annualized realized volatility.</summary>
    public double Volatility { get; set; } = double.NaN;
    /// <summary>Cascade zones of long liquidations (below price); null when the cascade view is unavailable.</summary>
    public CascadeZone[]? LongZones { get; set; }
    /// <summary>Cascade zones of short liquidations (above price).</summary>
    public CascadeZone[]? ShortZones { get; set; }

    /// <summary>The asset's venues count as diverged (1) or not (0); null when not measurable now (the state holds).</summary>
    public int? Diverged { get; set; }
    /// <summary>The asset's current cross-venue spread (fraction), NaN when unknown.</summary>
    public double DivergenceSpread { get; set; } = double.NaN;

    /// <summary>The zones on a position's side.</summary>
    public CascadeZone[]? ZonesFor(PositionSide side) => side == PositionSide.Long ? LongZones : ShortZones;
}

/// <summary>A rule evaluated for one symbol in this sweep.</summary>
/// <param name="Evaluable">False when inputs were missing: the state is left as it is.</param>
/// <param name="Fired">The rule's condition holds now.</param>
/// <param name="Rearm">The rule's re-arm condition holds now.</param>
/// <param name="CooldownMs">The rule's own cooldown.</param>
public readonly record struct RuleSignal(bool Evaluable, bool Fired, bool Rearm, long CooldownMs);

/// <summary>An alert decision (or a state change to persist) from one sweep. Nothing is applied until the caller commits it.</summary>
/// <param name="User">Whose.</param>
/// <param name="Slot">The state slot.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Step">What happened.</param>
/// <param name="After">The state to apply once persisted.</param>
/// <param name="Value">The number behind it: distance, hit chance, funding share, cascade zone index; NaN otherwise.</param>
/// <param name="Severity">Severity of the alert.</param>
public readonly record struct AlertFiring(AlertUser User, int Slot, AlertKind Kind, AlertStep Step, AlertState After, double Value, AlertSeverity Severity)
{
    /// <summary>Whether this decision sends something (or would, but for cooldown or snooze).</summary>
    public bool IsAlert => Step is AlertStep.Fire or AlertStep.Reminder or AlertStep.Recovered;
}
