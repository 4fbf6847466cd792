using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Risk;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Alerts;
using PerpGuard.Core.Cascade;
using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Alerts;

/// <summary>
/// The alert engine: after each market update, evaluates every position and rule of every user (<see cref="AlertSweep"/>
/// over <see cref="AlertBook"/>), and writes each decision, its state change and its outbox row in one SQLite
/// transaction. Only after the commit does the in-memory state move, so a crash at any point either loses the whole
/// sweep (re-decided after restart from the stored states) or nothing. Stale or missing market data is never
/// evaluated: a symbol without a fresh price gets its stale notice and nothing else.
/// </summary>
public sealed class AlertEngine(IServiceScopeFactory scopes, AlertBook book, MarketState market, RiskService risk, IOptions<AlertOptions> options,
    TimeProvider time, ILogger<AlertEngine> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<AlertFiring> _firings = [];
    private readonly Dictionary<int, SymbolCache> _cache = [];
    private readonly Dictionary<string, DivergenceTracker> _divergence = new(StringComparer.Ordinal);
    private RuleSignal[] _ruleSignals = [];
    private (RuleDefinition Rule, RuleResult Result)?[] _ruleResults = [];
    private AlertSweep? _sweep;

    private sealed class SymbolCache
    {
        public DateTimeOffset RiskAt = DateTimeOffset.MinValue;
        public string[] LongZones = [];
        public string[] ShortZones = [];
        public CascadeZone[]? Long;
        public CascadeZone[]? Short;
        public double Volatility = double.NaN;
        public DateTimeOffset RulesAt = DateTimeOffset.MinValue;
        public RuleInputs? Inputs;
        public IReadOnlyList<Bar> Perp = [];
    }

    /// <summary>The book (for tests and commands).</summary>
    public AlertBook Book => book;

    /// <summary>A user's positions, rules, settings or mutes changed: reload them before the next sweep.</summary>
    public void Invalidate(long userId) => book.Invalidate(userId);

    /// <summary>Forgets the in-memory state (a replay starting over on reset states).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            book.Reset();
            _cache.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One sweep now. Returns the number of alerts decided (sent, held or suppressed).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
            await book.RefreshAsync(db, now, cancellationToken).ConfigureAwait(false);
            await UpdateSignalsAsync(db, now, cancellationToken).ConfigureAwait(false);
            _firings.Clear();
            _sweep ??= new AlertSweep(options.Value.SweepSettings(risk.Options.Horizon));
            _sweep.Run(book.CoreUsers, book.Signals, _ruleSignals, now.ToUnixTimeMilliseconds(), _firings);
            if (_firings.Count == 0) return 0;
            int decided;
            try
            {
                decided = await PersistAsync(db, now, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Nothing was committed, but daily-cap counters may have moved: reload everyone from the database,
                // which still holds the states before this sweep, and decide again next time.
                book.Reset();
                throw;
            }
            foreach (var firing in _firings) AlertSweep.Apply(firing);
            return decided;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Snoozes the key of alert <paramref name="alertId"/> (the user's own) until <paramref name="until"/>: repeats
    /// and re-fires at its level are held; an escalation above it still goes through. Null when there is no such alert.
    /// </summary>
    public async Task<AlertRecord?> SnoozeAsync(PerpGuardDbContext db, long ownerId, long alertId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Id == alertId && a.OwnerId == ownerId && a.Kind != null, cancellationToken).ConfigureAwait(false);
            if (alert is null) return null;
            var row = await db.AlertStates.FirstOrDefaultAsync(s => s.OwnerId == ownerId && s.Key == alert.Key, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                row = new AlertStateRow { OwnerId = ownerId, Key = alert.Key };
                db.AlertStates.Add(row);
            }
            var state = row.ToState();
            state.Snooze(until.ToUnixTimeMilliseconds());
            row.Set(state);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            if (book.Find(ownerId) is { } user && user.SlotOf(alert.Key) is var slot and >= 0)
            {
                var held = user.Core.States[slot];
                held.Snooze(until.ToUnixTimeMilliseconds());
                user.Core.States[slot] = held;
            }
            return alert;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Forgets a position's alert states (it was edited or removed): an edited position starts armed, so a crossed
    /// liquidation is not held against new terms, and a removed one leaves nothing behind.
    /// </summary>
    public async Task ForgetPositionAsync(PerpGuardDbContext db, long ownerId, long positionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var prefix = $"p{positionId}.";
            await db.AlertStates.Where(s => s.OwnerId == ownerId && s.Key.StartsWith(prefix)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            // Inside the lock: no sweep can write the old state back before this user is reloaded.
            book.Invalidate(ownerId);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task UpdateSignalsAsync(PerpGuardDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        for (var i = 0; i < book.Symbols.Count; i++)
        {
            var key = book.Symbols[i];
            var signal = book.Signals[i];
            var view = market.View(key);
            var prices = view.Feeds[MarketFeed.Prices];
            var fresh = view.Fresh(MarketFeed.Prices) && view.Ticker is not null;
            signal.Fresh = fresh;
            signal.StaleNotice = !fresh && prices.DataTime is not null && prices.Age > o.StaleNoticeAfter;
            if (!fresh) continue;
            var t = view.Ticker!;
            signal.Mark = t.Mark;
            signal.FundingRate = double.IsFinite(t.FundingRate) ? t.FundingRate : double.NaN;
            signal.FundingPeriodsPerDay = t.FundingIntervalHours > 0 && double.IsFinite(t.FundingIntervalHours) ? 24 / t.FundingIntervalHours : double.NaN;
            if (!_cache.TryGetValue(i, out var cache)) _cache[i] = cache = new SymbolCache();
            if (book.PositionSymbols.Contains(i) && now - cache.RiskAt >= o.RiskEvery)
            {
                var symbolRisk = await risk.AnalyzeAsync(db, key, now, cancellationToken).ConfigureAwait(false);
                cache.RiskAt = now;
                cache.Volatility = symbolRisk.Volatility;
                (cache.Long, cache.LongZones) = Zones(symbolRisk, PositionSide.Long, o.CascadeBeyond);
                (cache.Short, cache.ShortZones) = Zones(symbolRisk, PositionSide.Short, o.CascadeBeyond);
            }
            signal.Volatility = cache.Volatility;
            signal.LongZones = cache.Long;
            signal.ShortZones = cache.Short;
        }

        UpdateDivergence(now);

        var rules = book.Rules;
        if (_ruleSignals.Length != rules.Count)
        {
            Array.Resize(ref _ruleSignals, rules.Count);
            Array.Resize(ref _ruleResults, rules.Count);
        }
        for (var j = 0; j < rules.Count; j++)
        {
            var rule = rules[j];
            _ruleSignals[j] = default;
            if (!book.Signals[rule.Symbol].Fresh) continue;
            var cache = _cache[rule.Symbol];
            var key = book.Symbols[rule.Symbol];
            if (cache.Inputs is null || now - cache.RulesAt >= o.RulesEvery)
            {
                var history = await MarketHistory.LoadAsync(db, key, now - TimeSpan.FromDays(30), now, cancellationToken).ConfigureAwait(false);
                var hasSpot = VenueSymbols.TryResolve(key.Venue, key.Symbol, out var instrument) && instrument.SpotSymbol is not null;
                cache.Inputs = RuleEvaluator.Inputs(history, hasSpot);
                cache.Perp = history.Perp;
                cache.RulesAt = now;
            }
            var definition = rule.Definition;
            if (definition.Kind == RuleKind.SupportLost && double.IsNaN(definition["level"]))
            {
                if (SupportLevels.SwingLow(cache.Perp, now) is not { } level) continue;
                definition = definition with { Values = new Dictionary<string, double>(definition.Values) { ["level"] = level } };
            }
            var result = InvalidationRules.Evaluate(definition, cache.Inputs, now);
            _ruleSignals[j] = new RuleSignal(result.Evaluable, result.Fired, result.Rearm, (long)definition.CooldownTime.TotalMilliseconds);
            _ruleResults[j] = (definition, result);
        }
    }

    /// <summary>
    /// The cascade zones of one side: clusters whose stressed coverage is high or critical (with "just beyond" the far
    /// edge), and the path of the cheapest cascade when its trigger costs at most one hour of taker volume (or the
    /// volume is unknown). Each zone comes with the text its alert shows.
    /// </summary>
    public static (CascadeZone[]? Zones, string[] Texts) Zones(SymbolRisk r, PositionSide side, double beyond)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Map is not { } map || r.DepthFor(side) is not { } depth || r.Price is not { } price) return (null, []);
        var zones = new List<CascadeZone>();
        var texts = new List<string>();
        var forced = map.Forced(side);
        var clusters = map.Clusters(side);
        var down = side == PositionSide.Long;
        for (var c = 0; c < clusters.Count; c++)
        {
            var cluster = clusters[c];
            var distance = down ? 1 - cluster.PricePeak / price : cluster.PricePeak / price - 1;
            if (!(distance > 0)) continue;
            var band = CascadeRisk.CoverageAt(depth, forced, distance, r.StressSurvival);
            var label = CascadeRisk.LabelOf(band.StressedCoverage);
            if (label < CascadeLabel.High) continue;
            var level = (byte)(label == CascadeLabel.Critical ? 2 : 1);
            var low = down ? cluster.PriceLow - beyond * price : cluster.PriceLow;
            var high = down ? cluster.PriceHigh : cluster.PriceHigh + beyond * price;
            zones.Add(new CascadeZone(low, high, level, c));
            texts.Add($"{(down ? "long" : "short")} cluster {RiskText.PriceText(cluster.PriceLow)}–{RiskText.PriceText(cluster.PriceHigh)} " +
                $"({RiskText.Pct(distance)} away), {RiskText.Usd(cluster.NotionalUsd)} estimated; forced flow within ±{RiskText.Pct(band.Band)} is " +
                $"{band.StressedCoverage:0.00}× the surviving book ({label.ToString().ToUpperInvariant()})");
        }
        if (r.ScoreFor(side) is { } score && double.IsFinite(score.Reach) && score.Reach > 0
            && (double.IsNaN(score.TriggerShareOfTakerVolume) || score.TriggerShareOfTakerVolume <= 1))
        {
            var end = down ? price * (1 - score.Reach) : price * (1 + score.Reach);
            zones.Add(new CascadeZone(Math.Min(price, end), Math.Max(price, end), 1, -1));
            texts.Add($"the cheapest cascade (trigger {RiskText.Usd(score.TriggerCostUsd)}" +
                $"{(double.IsFinite(score.TriggerShareOfTakerVolume) ? $", {score.TriggerShareOfTakerVolume:0%} of the last hour's volume" : "")}) " +
                $"runs to {RiskText.PriceText(end)} ({(down ? "−" : "+")}{RiskText.Pct(score.Reach)}), through your liquidation price");
        }
        return (zones.Count == 0 ? [] : [.. zones], [.. texts]);
    }

    // Per held asset: the marks of every venue polled for it (fresh ones only), per coin, into its tracker; every symbol
    // of the asset carries the result. Fewer than two fresh venues measure nothing and the state holds.
    private void UpdateDivergence(DateTimeOffset now)
    {
        var o = options.Value;
        var polled = market.Keys
            .Select(k => (Key: k, Found: VenueSymbols.TryResolve(k.Venue, k.Symbol, out var instrument), Instrument: instrument))
            .Where(x => x.Found).ToList();
        foreach (var group in Enumerable.Range(0, book.Symbols.Count).GroupBy(i => AlertBook.AssetOf(book.Symbols[i].Symbol), StringComparer.Ordinal))
        {
            var asset = group.Key;
            var prices = new List<VenuePrice>();
            foreach (var (key, _, instrument) in polled)
            {
                if (!string.Equals(instrument.Asset, asset, StringComparison.Ordinal)) continue;
                var view = market.View(key);
                if (!view.Fresh(MarketFeed.Prices) || view.Ticker is not { } t) continue;
                prices.Add(new VenuePrice(key.Venue, t.Mark / instrument.Multiplier, t.Index / instrument.Multiplier));
            }
            if (!_divergence.TryGetValue(asset, out var tracker))
                _divergence[asset] = tracker = new DivergenceTracker(o.DivergenceThreshold, o.DivergenceMinDuration, o.Hysteresis);
            var reading = VenueDivergence.Measure(prices);
            tracker.Update(reading, now);
            foreach (var i in group)
            {
                book.Signals[i].Diverged = reading is null ? null : tracker.Diverged ? 1 : 0;
                book.Signals[i].DivergenceSpread = reading?.Spread ?? double.NaN;
            }
        }
    }

    /// <summary>The last cross-venue reading of an asset (for /status and messages), or null.</summary>
    public DivergenceReading? DivergenceOf(string asset) => _divergence.TryGetValue(asset, out var t) ? t.Last : null;

    // One transaction: every changed state, every decided alert (with its rendered message), then commit.
    private async Task<int> PersistAsync(PerpGuardDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var alerts = new List<(AlertRecord Row, AlertFacts Facts)>();
        foreach (var firing in _firings)
        {
            var user = book.Find(firing.User.Id)!;
            var key = user.Keys[firing.Slot];
            var s = firing.After;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO AlertStates (OwnerId, Key, Level, SentLevel, Flags, SentAt, SnoozedUntil, SnoozeLevel)
                VALUES ({user.User.Id}, {key}, {(int)s.Level}, {(int)s.SentLevel}, {(int)s.Flags}, {s.SentAt}, {s.SnoozedUntil}, {(int)s.SnoozeLevel})
                ON CONFLICT (OwnerId, Key) DO UPDATE SET Level = excluded.Level, SentLevel = excluded.SentLevel, Flags = excluded.Flags,
                  SentAt = excluded.SentAt, SnoozedUntil = excluded.SnoozedUntil, SnoozeLevel = excluded.SnoozeLevel
                """, cancellationToken).ConfigureAwait(false);
            if (firing.Step is AlertStep.StateOnly) continue;

            var positions = user.Core.Positions.Length;
            var position = firing.Slot < positions * AlertKinds.PositionSlots ? firing.Slot / AlertKinds.PositionSlots : -1;
            var subscription = position >= 0 ? -1 : firing.Slot - positions * AlertKinds.PositionSlots;
            var marketKey = position >= 0 ? user.PositionKeys[position] : user.SubscriptionKeys[subscription];
            var symbolIndex = position >= 0 ? user.Core.Positions[position].Symbol : user.Core.Subscriptions[subscription].Symbol;
            var signal = book.Signals[symbolIndex];
            string? zone = null;
            if (firing.Kind == AlertKind.Cascade && _cache.TryGetValue(symbolIndex, out var cache))
            {
                var texts = user.Core.Positions[position].Side == PositionSide.Long ? cache.LongZones : cache.ShortZones;
                var index = (int)firing.Value;
                zone = index >= 0 && index < texts.Length ? texts[index] : null;
            }
            var rule = firing.Kind == AlertKind.Rule ? _ruleResults[user.Core.Subscriptions[subscription].Signal] : null;
            var gate = firing.Step switch
            {
                AlertStep.Cooldown => new GateDecision(AlertStatus.Suppressed, "cooldown: you were told the same or more recently", null, false),
                AlertStep.Snoozed => new GateDecision(AlertStatus.Suppressed, $"snoozed until {Commands.UserTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(s.SnoozedUntil), user.User.TimeZone, now)}", null, false),
                _ => DeliveryGate.Decide(user, AlertBook.AssetOf(marketKey.Symbol), firing.Severity, now, o.CapSummaryEvery),
            };
            if (gate.Counted) user.CountedToday++;
            var row = new AlertRecord
            {
                OwnerId = user.User.Id,
                Key = key,
                Kind = firing.Kind,
                Severity = firing.Severity,
                Step = firing.Step,
                PositionId = position >= 0 ? user.Positions[position].Id : null,
                Symbol = $"{marketKey.Venue.Name()}:{marketKey.Symbol}",
                CreatedAt = now,
                Summary = "",
                Message = "",
                Status = gate.Status,
                Reason = gate.Reason,
                ReleaseAt = gate.ReleaseAt,
                NextAttemptAt = now,
                IdempotencyKey = Guid.NewGuid().ToString("N"),
                Counted = gate.Counted,
            };
            db.Alerts.Add(row);
            alerts.Add((row, new AlertFacts
            {
                AlertId = 0, Firing = firing, User = user, Key = marketKey, Signal = signal, Position = position, Zone = zone, Rule = rule,
                Hysteresis = o.Hysteresis, Now = now,
                Divergence = firing.Kind == AlertKind.Divergence ? DivergenceOf(AlertBook.AssetOf(marketKey.Symbol)) : null,
                DivergenceThreshold = o.DivergenceThreshold,
            }));
        }
        if (alerts.Count > 0)
        {
            // Ids first: the message names its own id (/snooze 17 1h).
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (row, facts) in alerts)
            {
                var (message, summary) = AlertText.Render(facts with { AlertId = row.Id });
                row.Message = JsonSerializer.Serialize(message, AlertJsonContext.Default.Reply);
                row.Summary = summary;
            }
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        foreach (var (row, _) in alerts) logger.AlertDecided(row.Id, row.OwnerId, row.Kind!.Value, row.Severity, row.Step, row.Status, row.Summary);
        return alerts.Count;
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
