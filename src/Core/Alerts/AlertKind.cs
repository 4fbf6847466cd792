namespace PerpGuard.Core.Alerts;

/// <summary>What an alert is about. Stored by name; the numbers are part of the alert key, so never renumber.</summary>
public enum AlertKind : byte
{
    /// <summary>
    /// Distance from mark to the liquidation price crossed one of the user's escalation levels. The level past the last
    /// one means the mark crossed the liquidation price: told once, then the position is presumed closed.
    /// </summary>
    Distance = 1,
    /// <summary>Chance of touching liquidation within the horizon reached the user's threshold.</summary>
    HitChance = 2,
    /// <summary>The liquidation price sits in or just beyond a cluster with high stressed coverage, or in the cheapest chain.</summary>
    Cascade = 3,
    /// <summary>Projected funding over 24 h exceeds the user's share of margin.</summary>
    Funding = 4,
    /// <summary>Funding turned from paying the position to charging it.</summary>
    FundingFlip = 5,
    /// <summary>An invalidation rule (R1 to R5) fired.</summary>
    Rule = 6,
    /// <summary>Market data for a held symbol went stale (and, when it recovers, a second notice).</summary>
    Stale = 7,
    /// <summary>The venues' marks for a held asset drifted apart for longer than the minimum time (and, when they converge, a second notice).</summary>
    Divergence = 8,
    /// <summary>A winning position ranks high for auto-deleveraging while a cascade on the opposite side is likely.</summary>
    Adl = 9,
}

/// <summary>How urgent an alert is, visible at a glance; only <see cref="Critical"/> breaks through quiet hours and the daily cap.</summary>
public enum AlertSeverity : byte
{
    /// <summary>A notice (stale data, funding turning).</summary>
    Info = 0,
    /// <summary>Worth a look.</summary>
    Warning = 1,
    /// <summary>Act soon.</summary>
    High = 2,
    /// <summary>Liquidation is close: act now.</summary>
    Critical = 3,
}

/// <summary>The kinds evaluated per position, in state-slot order.</summary>
public static class AlertKinds
{
    /// <summary>State slots per position: one per kind in <see cref="PerPosition"/>.</summary>
    public const int PositionSlots = 6;

    /// <summary>The position kinds, in slot order.</summary>
    public static ReadOnlySpan<AlertKind> PerPosition => [AlertKind.Distance, AlertKind.HitChance, AlertKind.Cascade, AlertKind.Funding, AlertKind.FundingFlip, AlertKind.Adl];

    /// <summary>The slot offset of a position kind (its index in <see cref="PerPosition"/>).</summary>
    public static int SlotOf(AlertKind kind) => kind == AlertKind.Adl ? 5 : kind - AlertKind.Distance;

    /// <summary>
    /// Severity of a distance level: the level's threshold decides (≤ 5% of mark critical, ≤ 10% high, otherwise a
    /// warning), so a user's own levels keep the meaning of the defaults 20% / 10% / 5% / 2%.
    /// </summary>
    public static AlertSeverity DistanceSeverity(double threshold) => threshold <= 0.05 ? AlertSeverity.Critical : threshold <= 0.10 ? AlertSeverity.High : AlertSeverity.Warning;

    /// <summary>A short lower-case name for messages and keys (<c>distance</c>, <c>hit-chance</c>, ...).</summary>
    public static string Name(this AlertKind kind) => kind switch
    {
        AlertKind.Distance => "distance",
        AlertKind.HitChance => "hit-chance",
        AlertKind.Cascade => "cascade",
        AlertKind.Funding => "funding",
        AlertKind.FundingFlip => "funding-flip",
        AlertKind.Rule => "rule",
        AlertKind.Stale => "stale",
        AlertKind.Divergence => "divergence",
        AlertKind.Adl => "adl",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown alert kind."),
    };

    /// <summary>Parses <see cref="Name"/>.</summary>
    public static bool TryParse(string? text, out AlertKind kind)
    {
        foreach (var k in Enum.GetValues<AlertKind>())
        {
            if (string.Equals(k.Name(), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
