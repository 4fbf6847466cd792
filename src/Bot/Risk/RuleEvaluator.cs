using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;

namespace PerpGuard.Bot.Risk;

/// <summary>Where a rule stands now, derived by walking its state machine over the stored history.</summary>
/// <param name="Rule">The definition evaluated (R3's automatic level filled in).</param>
/// <param name="Now">The evaluation at the current time.</param>
/// <param name="Status">Armed, fired, cooling down, or waiting to re-arm.</param>
/// <param name="LastFired">When it last fired within the walked history.</param>
/// <param name="LastFiring">The evaluation that fired then.</param>
/// <param name="Problem">Why it could not be evaluated at all (no automatic support level found), else null.</param>
public sealed record RuleState(RuleDefinition Rule, RuleResult? Now, RuleStatus Status, DateTimeOffset? LastFired, RuleResult? LastFiring, string? Problem);

/// <summary>
/// Turns stored series into <see cref="RuleInputs"/> and evaluates rules the way they run in production: hourly, with
/// hysteresis and cooldown, so the state shown now is the state the alert engine would be in.
/// </summary>
public static class RuleEvaluator
{
    /// <summary>How far back the hourly walk starts (the longest rule window is R1's 7-day rebuild).</summary>
    public static readonly TimeSpan Walk = TimeSpan.FromDays(7);

    /// <summary>
    /// The rule inputs from one symbol's stored history. Funding is converted to its 8-hour equivalent; premium comes
    /// from mark and index. There is no liquidation feed and no dated future: those stay null (unavailable, not zero).
    /// </summary>
    public static RuleInputs Inputs(SymbolHistory history, bool venueHasSpot)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new RuleInputs
        {
            Perp = history.Perp,
            Spot = venueHasSpot ? history.Spot : null,
            OpenInterest = history.OpenInterest,
            Funding = FundingPeriods(history.Tickers),
            Premium = [.. history.Tickers.Where(t => t.Index > 0).Select(t => new PremiumPoint(t.Time, t.Mark, t.Index))],
            Basis = null,
            Liquidations = null,
            CoinbasePremium = null,
        };
    }

    /// <summary>
    /// One funding point per settlement period (what R2 counts): the last rate quoted before each settlement, as its
    /// 8-hour equivalent, stamped at the settlement. A period is identified by the ticker's next-funding time, or by the
    /// interval grid when the venue sends none.
    /// </summary>
    public static List<FundingPoint> FundingPeriods(IReadOnlyList<Ticker> tickers)
    {
        ArgumentNullException.ThrowIfNull(tickers);
        var periods = new SortedDictionary<DateTimeOffset, FundingPoint>();
        foreach (var t in tickers)
        {
            if (!double.IsFinite(t.FundingRate) || !(t.FundingIntervalHours > 0)) continue;
            var interval = TimeSpan.FromHours(t.FundingIntervalHours);
            var settlement = t.NextFunding ?? new DateTimeOffset(t.Time.UtcTicks - t.Time.UtcTicks % interval.Ticks, TimeSpan.Zero) + interval;
            periods[settlement] = new FundingPoint(settlement, t.FundingRate * 8 / t.FundingIntervalHours);
        }
        return [.. periods.Values];
    }

    /// <summary>Evaluates <paramref name="rule"/> hourly from <paramref name="from"/> to <paramref name="now"/> through a <see cref="RuleTracker"/>.</summary>
    public static RuleState Evaluate(RuleDefinition rule, RuleInputs inputs, IReadOnlyList<Bar> perp, DateTimeOffset from, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(perp);
        if (rule.Kind == RuleKind.SupportLost && double.IsNaN(rule["level"]))
        {
            if (SupportLevels.SwingLow(perp, now) is not { } level)
                return new RuleState(rule, null, RuleStatus.Armed, null, null, "no automatic support level: no 7-day swing low in the stored candles yet; set one with /rule add support <symbol> <price>");
            rule = rule with { Values = new Dictionary<string, double>(rule.Values) { ["level"] = level } };
        }
        var tracker = new RuleTracker(TimeSpan.FromHours(rule["cooldown"]));
        DateTimeOffset? lastFired = null;
        RuleResult? lastFiring = null;
        var hour = TimeSpan.FromHours(1);
        var t = new DateTimeOffset(from.UtcTicks - from.UtcTicks % hour.Ticks, TimeSpan.Zero) + hour;
        RuleResult? result = null;
        for (; t <= now; t += hour) Step(t);
        if (result is null || t - hour != now) Step(now);
        return new RuleState(rule, result, tracker.Status, lastFired, lastFiring, null);

        void Step(DateTimeOffset at)
        {
            result = InvalidationRules.Evaluate(rule, inputs, at);
            if (tracker.Step(result, at))
            {
                lastFired = at;
                lastFiring = result;
            }
        }
    }
}
