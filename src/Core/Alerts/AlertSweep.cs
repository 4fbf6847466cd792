using PerpGuard.Core.Ladders;
using PerpGuard.Core.Probability;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Alerts;

/// <summary>The policy numbers of a sweep (configuration, converted once).</summary>
public sealed record AlertSweepSettings
{
    /// <summary>Cooldown per kind: a re-fire at the same or a lower level waits this long after the last alert.</summary>
    public IReadOnlyDictionary<AlertKind, TimeSpan> Cooldowns { get; init; } = new Dictionary<AlertKind, TimeSpan>
    {
        [AlertKind.Distance] = TimeSpan.FromMinutes(30),
        [AlertKind.HitChance] = TimeSpan.FromHours(2),
        [AlertKind.Cascade] = TimeSpan.FromHours(1),
        [AlertKind.Funding] = TimeSpan.FromHours(8),
        [AlertKind.FundingFlip] = TimeSpan.FromHours(8),
        [AlertKind.Stale] = TimeSpan.Zero,
        [AlertKind.Divergence] = TimeSpan.FromHours(1),
        [AlertKind.Adl] = TimeSpan.FromHours(4),
    };
    /// <summary>While a position stays at its most critical distance level (short of the crossing), a reminder this often (zero: none).</summary>
    public TimeSpan CriticalRepeat { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>Re-arm margin as a fraction of the threshold (0.25: the 10% level re-arms above 12.5%).</summary>
    public double Hysteresis { get; init; } = 0.25;
    /// <summary>A cascade alert re-arms only once the liquidation price is this far (fraction of mark) outside every zone.</summary>
    public double CascadeRearmMargin { get; init; } = 0.005;
    /// <summary>An opposite-side cascade zone counts for the auto-deleveraging alert when its near edge is this close (fraction of mark).</summary>
    public double AdlCascadeReach { get; init; } = 0.05;
    /// <summary>Horizon of the hit chance.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The state-machine rule of a kind (rules carry their own cooldown).</summary>
    public AlertRule RuleFor(AlertKind kind) => new(
        (long)Cooldowns.GetValueOrDefault(kind).TotalMilliseconds,
        kind == AlertKind.Distance ? (long)CriticalRepeat.TotalMilliseconds : 0,
        NotifyRecovery: kind is AlertKind.Stale or AlertKind.Divergence);
}

/// <summary>
/// One evaluation pass over every user, position and subscription against the symbols' fresh market data, with the
/// alert policy applied. Pure and allocation-free when nothing changes: it reads the states, computes each key's new
/// level, and appends a <see cref="AlertFiring"/> only for keys whose state changes; the caller persists those and
/// then applies them (<see cref="Apply"/>). A symbol whose prices are not fresh is skipped entirely (never alert on
/// stale data), apart from its stale notices.
/// </summary>
public sealed class AlertSweep
{
    // Beyond this many standard deviations of the horizon the hit chance of an armed key is negligible (below 1e-4 up to
    // 300% volatility), far under any threshold a user can set: no need to compute it.
    private const double FarSigmas = 6;
    private readonly AlertSweepSettings _settings;
    private readonly AlertRule _distance, _hit, _cascade, _funding, _flip, _stale, _divergence, _adl;
    private readonly double _years;

    /// <summary>A sweep with the given policy.</summary>
    public AlertSweep(AlertSweepSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!(settings.Hysteresis >= 0 && settings.Hysteresis < 1)) throw new ArgumentOutOfRangeException(nameof(settings), settings.Hysteresis, "Hysteresis must be in [0, 1).");
        if (!(settings.Horizon > TimeSpan.Zero)) throw new ArgumentOutOfRangeException(nameof(settings), settings.Horizon, "The horizon must be positive.");
        _settings = settings;
        _distance = settings.RuleFor(AlertKind.Distance);
        _hit = settings.RuleFor(AlertKind.HitChance);
        _cascade = settings.RuleFor(AlertKind.Cascade);
        _funding = settings.RuleFor(AlertKind.Funding);
        _flip = settings.RuleFor(AlertKind.FundingFlip);
        _stale = settings.RuleFor(AlertKind.Stale);
        _divergence = settings.RuleFor(AlertKind.Divergence);
        _adl = settings.RuleFor(AlertKind.Adl);
        _years = HitProbability.Years(settings.Horizon.TotalHours);
    }

    /// <summary>The policy.</summary>
    public AlertSweepSettings Settings => _settings;

    /// <summary>Evaluates every user and appends the decisions to <paramref name="output"/> (not cleared first).</summary>
    public void Run(IReadOnlyList<AlertUser> users, IReadOnlyList<SymbolSignal> symbols, ReadOnlySpan<RuleSignal> rules, long nowMs, List<AlertFiring> output)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(output);
        for (var u = 0; u < users.Count; u++) Run(users[u], symbols, rules, nowMs, output);
    }

    /// <summary>Evaluates one user.</summary>
    public void Run(AlertUser user, IReadOnlyList<SymbolSignal> symbols, ReadOnlySpan<RuleSignal> rules, long nowMs, List<AlertFiring> output)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(output);
        var h = _settings.Hysteresis;
        var thresholds = user.Thresholds;
        var levels = thresholds.Levels;
        var states = user.States;
        var positions = user.Positions;
        // Subscriptions first: a stale notice (or its recovery) comes before what it explains.
        var subscriptions = user.Subscriptions;
        var first = positions.Length * AlertKinds.PositionSlots;
        for (var i = 0; i < subscriptions.Length; i++)
        {
            var sub = subscriptions[i];
            var sym = symbols[sub.Symbol];
            var slot = first + i;
            var current = states[slot].Level;
            if (sub.Kind == AlertKind.Stale)
            {
                var level = sym.StaleNotice ? 1 : sym.Fresh ? 0 : current;
                if (level != current) Step(user, slot, AlertKind.Stale, level, 1, nowMs, _stale, double.NaN, AlertSeverity.Info, output);
                continue;
            }
            if (sub.Kind == AlertKind.Divergence)
            {
                // Measured across venues, so this venue's own freshness does not gate it; no reading holds the level.
                var level = sym.Diverged ?? current;
                if (level != current) Step(user, slot, AlertKind.Divergence, level, 1, nowMs, _divergence, sym.DivergenceSpread, level == 1 ? AlertSeverity.Warning : AlertSeverity.Info, output);
                continue;
            }
            if (!sym.Fresh || (uint)sub.Signal >= (uint)rules.Length) continue;
            var rule = rules[sub.Signal];
            if (!rule.Evaluable) continue;
            var fired = rule.Fired || current == 1 && !rule.Rearm ? 1 : 0;
            if (fired != current) Step(user, slot, AlertKind.Rule, fired, 1, nowMs, new AlertRule(rule.CooldownMs, 0, false), double.NaN, AlertSeverity.Warning, output);
        }

        for (var p = 0; p < positions.Length; p++)
        {
            ref readonly var pos = ref positions[p];
            var sym = symbols[pos.Symbol];
            var mark = sym.Mark;
            // Fresh means usable; a fresh signal without a sane mark is still not alerted on.
            if (!sym.Fresh || !(mark > 0) || !double.IsFinite(mark)) continue;
            var slot = p * AlertKinds.PositionSlots;
            var liq = pos.Liquidation;
            if (double.IsFinite(liq) && liq > 0)
            {
                // Past the top level there is one more: the mark crossed the liquidation price. It is told once, and the
                // position is then presumed closed by the venue: nothing more about it until the user edits or removes it.
                var top = levels.Length;
                var held = states[slot].Level;
                if (held > top) continue;
                var distance = (int)pos.Side * (mark - liq) / mark;
                var level = distance <= 0 ? top + 1 : Escalation.DistanceLevel(distance, levels, held, h);
                if (level != held || level == top)
                    Step(user, slot, AlertKind.Distance, level, top, nowMs, _distance, distance, level == 0 ? AlertSeverity.Info : level > top ? AlertSeverity.Critical : AlertKinds.DistanceSeverity(levels[level - 1]), output);
                if (level > top) continue;

                var sigma = sym.Volatility;
                if (sigma > 0 && double.IsFinite(sigma))
                {
                    var current = states[slot + 1].Level;
                    double chance;
                    if (current == 0 && distance > FarSigmas * sigma * Math.Sqrt(_years)) chance = 0;
                    else chance = HitProbability.Continuous(mark, liq, sigma, _years);
                    var hit = Escalation.ThresholdLevel(chance, thresholds.HitChance, current, h);
                    if (hit != current) Step(user, slot + 1, AlertKind.HitChance, hit, 1, nowMs, _hit, chance, AlertSeverity.High, output);
                }

                if (sym.ZonesFor(pos.Side) is { } zones)
                {
                    var current = states[slot + 2].Level;
                    var zone = ZoneLevel(zones, liq, 0, out var index);
                    if (zone < current)
                    {
                        var keep = ZoneLevel(zones, liq, _settings.CascadeRearmMargin * mark, out var kept);
                        if (keep > zone) (zone, index) = (Math.Min(keep, current), kept);
                    }
                    if (zone != current)
                        Step(user, slot + 2, AlertKind.Cascade, zone, 2, nowMs, _cascade, index, zone >= 2 ? AlertSeverity.High : AlertSeverity.Warning, output);
                }
            }

            var rate = sym.FundingRate;
            if (double.IsFinite(rate) && sym.FundingPeriodsPerDay > 0)
            {
                var payment = pos.FundingPayment(mark, rate);
                var share = pos.Collateral > 0 ? payment * sym.FundingPeriodsPerDay / pos.Collateral : double.NaN;
                if (double.IsFinite(share))
                {
                    var current = states[slot + 3].Level;
                    var level = Escalation.ThresholdLevel(share, thresholds.FundingShare, current, h);
                    if (level != current) Step(user, slot + 3, AlertKind.Funding, level, 1, nowMs, _funding, share, AlertSeverity.Warning, output);
                }
                FundingFlip(user, slot + 4, payment, rate, nowMs, output);
            }

            if (double.IsFinite(pos.Entry) && pos.Collateral > 0)
            {
                // A winning position near the top of the ADL queue while the other side's liquidations are likely to run:
                // the venue may close it at the very moment it wins. Fires from light 4, clears below light 3 or without the zone.
                // The zone check first: it is cheap and usually false, and then the rank does not matter.
                var current = states[slot + 5].Level;
                var opposite = OppositeCascadeNear(sym.ZonesFor(pos.Side == PositionSide.Long ? PositionSide.Short : PositionSide.Long), mark);
                if (opposite || current != 0)
                {
                    var adl = AutoDeleveraging.Estimate(pos.UnrealizedPnl(mark), pos.Collateral, pos.Notional(mark));
                    var level = opposite && adl.Quantile >= (current == 1 ? 3 : 4) ? 1 : 0;
                    if (level != current) Step(user, slot + 5, AlertKind.Adl, level, 1, nowMs, _adl, adl.Score, AlertSeverity.Warning, output);
                }
            }
        }
    }

    // A zone of the opposite side's liquidations whose near edge is within reach of the mark.
    private bool OppositeCascadeNear(CascadeZone[]? zones, double mark)
    {
        if (zones is null) return false;
        var reach = _settings.AdlCascadeReach * mark;
        foreach (var z in zones)
            if (z.Level >= 1 && Math.Min(Math.Abs(z.Low - mark), Math.Abs(z.High - mark)) <= reach) return true;
        return false;
    }

    /// <summary>Applies a persisted decision to its user's state.</summary>
    public static void Apply(in AlertFiring firing) => firing.User.States[firing.Slot] = firing.After;

    private static void Step(AlertUser user, int slot, AlertKind kind, int level, int maxLevel, long nowMs, in AlertRule rule, double value, AlertSeverity severity, List<AlertFiring> output)
    {
        var state = user.States[slot];
        var step = AlertPolicy.Step(ref state, level, maxLevel, nowMs, rule);
        if (step != AlertStep.None) output.Add(new AlertFiring(user, slot, kind, step, state, value, severity));
    }

    // Funding turning against the position: paying (payment > 0) after it was seen receiving (flag bit 0). The first
    // observation is not a flip; receiving again re-arms.
    private void FundingFlip(AlertUser user, int slot, double payment, double rate, long nowMs, List<AlertFiring> output)
    {
        if (payment == 0 || !double.IsFinite(payment)) return;
        var state = user.States[slot];
        var seenReceiving = (state.Flags & 1) != 0;
        var level = payment < 0 ? 0 : state.Level == 1 || seenReceiving ? 1 : 0;
        var flags = (byte)(payment < 0 ? state.Flags | 1 : level == 1 ? state.Flags & ~1 : state.Flags);
        if (level == state.Level && flags == state.Flags) return;
        state.Flags = flags;
        var step = AlertPolicy.Step(ref state, level, 1, nowMs, _flip);
        output.Add(new AlertFiring(user, slot, AlertKind.FundingFlip, step == AlertStep.None ? AlertStep.StateOnly : step, state, rate, AlertSeverity.Info));
    }

    // The highest level of the zones that contain price (widened by margin on both sides).
    private static int ZoneLevel(CascadeZone[] zones, double price, double margin, out int index)
    {
        var level = 0;
        index = -1;
        for (var i = 0; i < zones.Length; i++)
        {
            var z = zones[i];
            if (price >= z.Low - margin && price <= z.High + margin && z.Level > level)
            {
                level = z.Level;
                index = i;
            }
        }
        return level;
    }
}
