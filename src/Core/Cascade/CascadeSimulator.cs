namespace PerpGuard.Core.Cascade;

/// <summary>
/// The discrete cascade walk of risk-model §b.3, in distance u from the reference price so that one code path serves
/// both directions (long liquidations and bids downwards, short liquidations and asks upwards).
/// </summary>
/// <remarks>
/// <para>The walk is cumulative. After waves with flows F1..Fk price sits at <c>u_k = D⁻¹(ΣF / W)</c>: the effective
/// book W·D(u) has absorbed everything sold so far. Each wave moves the mark to
/// <c>u_k − δmark·(u_k − u_{k−1})</c>; the forced levels at or inside the mark that have not fired yet fire,
/// T = φ·Σ notional, and T is the next wave's flow. The walk stops when a wave fires nothing.</para>
/// <para>Exhaustion (§b.1, reproducing the §b.6 table): when a wave's reach would pass
/// <see cref="CascadeSettings.MaxMove"/>, the book within range cannot absorb it. That flow is forced flow the book
/// could not take: it goes to the insurance fund, backstop or ADL, which removes open interest but does not push the
/// book. The run is flagged <see cref="CascadeResult.Exhausted"/> and price stays at the last absorbed reach; the
/// levels that reach fired still count in <see cref="CascadeResult.ForcedUsd"/>. The one exception is the shock
/// itself (aggressive market flow, not forced flow): when it alone passes MaxMove it sweeps the book in range, price
/// stands at MaxMove, and the levels fired there are counted, with no further wave.</para>
/// <para>With δmark = 0 the walk ends at the smallest u with <c>W·D(u) ≥ Q0 + φ·L(u)</c> (the §b.4 fixed point), so
/// the move is non-decreasing in the shock and in 1/W while the book is not exhausted, and exhaustion itself is
/// monotone. The move of an exhausted run is a lower bound and need not be monotone.</para>
/// </remarks>
public static class CascadeSimulator
{
    /// <summary>Absolute slack on distances (1e-12, i.e. 1e-10 %) so a level exactly at a reach or band edge counts as inside despite rounding.</summary>
    internal const double Tolerance = 1e-12;

    /// <summary>Runs the cascade started by <paramref name="shockUsd"/> of aggressive flow.</summary>
    /// <param name="depth">Opposite-side depth in the studied direction.</param>
    /// <param name="forced">Forced levels on the liquidated side, in any order (distance ≥ 0, notional ≥ 0, both finite).</param>
    /// <param name="shockUsd">Initial aggressive flow Q0 in USD, finite and ≥ 0.</param>
    /// <param name="settings">W, φ, δmark, MaxMove.</param>
    /// <exception cref="ArgumentOutOfRangeException">The shock, a forced level or a setting is out of range or NaN.</exception>
    public static CascadeResult Run(IDepthCurve depth, IReadOnlyList<ForcedLevel> forced, double shockUsd, CascadeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(settings);
        RequireUsd(shockUsd, nameof(shockUsd));
        settings.ThrowIfInvalid(nameof(settings));
        var levels = SortedLevels.Of(forced, nameof(forced));
        var waves = new List<CascadeWave>();
        var fired = new List<ForcedLevel>();
        var outcome = Walk(depth, levels, shockUsd, settings, waves, fired);
        return new CascadeResult(outcome.Move, outcome.ForcedUsd, waves, fired, outcome.Exhausted, outcome.Extrapolated);
    }

    /// <summary>
    /// Q*: the smallest shock whose chain carries price to <paramref name="targetDistance"/> (a move reaching it, or an
    /// exhausted book), by bisection on Q0 to a relative precision of 1e-12 (the value returned does reach).
    /// <see cref="double.PositiveInfinity"/> when the target lies beyond <see cref="CascadeSettings.MaxMove"/>; 0 when
    /// no shock is needed. Within MaxMove the answer is at most W·D(target), the shock that gets there alone.
    /// </summary>
    /// <remarks>With δmark &gt; 0 the move need not be monotone in the shock; the bisection then returns a shock that
    /// reaches the target with a slightly smaller one that does not, not necessarily the global minimum.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The target, a forced level or a setting is out of range or NaN.</exception>
    public static double MinimumShock(IDepthCurve depth, IReadOnlyList<ForcedLevel> forced, double targetDistance, CascadeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(settings);
        if (!(targetDistance >= 0) || !double.IsFinite(targetDistance))
            throw new ArgumentOutOfRangeException(nameof(targetDistance), targetDistance, "Target distance must be finite and zero or more.");
        settings.ThrowIfInvalid(nameof(settings));
        var levels = SortedLevels.Of(forced, nameof(forced));
        return MinimumShock(depth, levels, targetDistance, settings);
    }

    internal static double MinimumShock(IDepthCurve depth, SortedLevels levels, double target, CascadeSettings settings)
    {
        if (target > settings.MaxMove + Tolerance) return double.PositiveInfinity;
        if (Reaches(0)) return 0;
        var hi = settings.Survival * depth.CumulativeUsd(target);
        if (!(hi > 0) || !double.IsFinite(hi)) hi = 1;
        var lo = 0.0;
        while (!Reaches(hi))
        {
            lo = hi;
            hi *= 2;
            if (!double.IsFinite(hi)) return double.PositiveInfinity;
        }
        for (var i = 0; i < 200 && hi - lo > 1e-12 * hi; i++)
        {
            var mid = lo + (hi - lo) / 2;
            if (Reaches(mid)) hi = mid; else lo = mid;
        }
        return hi;

        bool Reaches(double shock)
        {
            var o = Walk(depth, levels, shock, settings, null, null);
            return o.Move >= target - Tolerance || o.Exhausted;
        }
    }

    internal static Outcome Walk(IDepthCurve depth, SortedLevels levels, double shock, CascadeSettings settings, List<CascadeWave>? waves, List<ForcedLevel>? fired)
    {
        var survival = settings.Survival;
        var participation = settings.Participation;
        var lag = settings.MarkLag;
        var maxMove = settings.MaxMove;
        var trusted = depth.TrustedReach;
        var distance = levels.Distance;
        var notional = levels.Notional;

        double absorbed = 0, previous = 0, move = 0, forcedUsd = 0, flow = shock;
        bool exhausted = false, extrapolated = false, first = true;
        var next = 0;
        while (true)
        {
            absorbed += flow;
            var reach = depth.DistanceFor(absorbed / survival);
            if (reach > maxMove)
            {
                exhausted = true;
                // Deciding that the range cannot absorb the flow read the depth out to MaxMove.
                if (trusted < maxMove) extrapolated = true;
                if (!first) break; // forced flow beyond the book: insurance fund / backstop / ADL, price stays
                reach = maxMove;   // the shock itself sweeps the whole range
            }
            if (reach > trusted + Tolerance) extrapolated = true;
            waves?.Add(new CascadeWave(flow, reach));
            move = reach;
            var mark = reach - lag * (reach - previous);
            previous = reach;

            var start = next;
            var sum = 0.0;
            while (next < distance.Length && distance[next] <= mark + Tolerance) sum += notional[next++];
            var triggered = participation * sum;
            if (!(triggered > 0))
            {
                next = start;
                break;
            }
            if (fired is not null) for (var i = start; i < next; i++) fired.Add(levels.Items[i]);
            forcedUsd += triggered;
            flow = triggered;
            first = false;
            if (exhausted) break; // levels fired at MaxMove by the shock: their flow cannot push the book either
        }
        return new Outcome(move, forcedUsd, exhausted, extrapolated);
    }

    internal static void RequireUsd(double usd, string name)
    {
        if (!(usd >= 0) || !double.IsFinite(usd)) throw new ArgumentOutOfRangeException(name, usd, "USD amount must be finite and zero or more.");
    }

    internal readonly record struct Outcome(double Move, double ForcedUsd, bool Exhausted, bool Extrapolated);
}

/// <summary>Forced levels with positive notional, sorted by distance (stable), as parallel arrays for the walk.</summary>
internal sealed class SortedLevels
{
    private SortedLevels(ForcedLevel[] items)
    {
        Items = items;
        Distance = new double[items.Length];
        Notional = new double[items.Length];
        _prefix = new double[items.Length + 1];
        for (var i = 0; i < items.Length; i++)
        {
            Distance[i] = items[i].Distance;
            Notional[i] = items[i].NotionalUsd;
            _prefix[i + 1] = _prefix[i] + items[i].NotionalUsd;
        }
    }

    private readonly double[] _prefix;

    public static SortedLevels Empty { get; } = new([]);

    public ForcedLevel[] Items { get; }
    public double[] Distance { get; }
    public double[] Notional { get; }
    public int Count => Items.Length;

    /// <summary>Raw notional of the levels at distance ≤ <paramref name="u"/> (inclusive, with the walk's tolerance).</summary>
    public double NotionalWithin(double u)
    {
        int lo = 0, hi = Distance.Length;
        var x = u + CascadeSimulator.Tolerance;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Distance[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return _prefix[lo];
    }

    /// <summary>Index of the nearest level with notional ≥ <paramref name="minimumUsd"/>, or −1.</summary>
    public int NearestAtLeast(double minimumUsd)
    {
        for (var i = 0; i < Notional.Length; i++) if (Notional[i] >= minimumUsd) return i;
        return -1;
    }

    public static SortedLevels Of(IReadOnlyList<ForcedLevel> forced, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(forced, parameterName);
        var items = new List<ForcedLevel>(forced.Count);
        var sorted = true;
        var last = 0.0;
        for (var i = 0; i < forced.Count; i++)
        {
            var level = forced[i];
            if (!(level.Distance >= 0) || !double.IsFinite(level.Distance))
                throw new ArgumentOutOfRangeException(parameterName, level.Distance, $"Forced level {i}: distance must be finite and zero or more.");
            if (!(level.NotionalUsd >= 0) || !double.IsFinite(level.NotionalUsd))
                throw new ArgumentOutOfRangeException(parameterName, level.NotionalUsd, $"Forced level {i}: notional must be finite and zero or more.");
            if (level.NotionalUsd == 0) continue;
            if (level.Distance < last) sorted = false;
            last = level.Distance;
            items.Add(level);
        }
        return new SortedLevels(sorted ? [.. items] : [.. items.OrderBy(l => l.Distance)]);
    }
}
