using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Alerts;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Alerts;

/// <summary>The names of alert keys, as stored in <see cref="AlertStateRow.Key"/> and shown nowhere else.</summary>
public static class AlertKeys
{
    /// <summary><c>p12.distance</c>.</summary>
    public static string Position(long positionId, AlertKind kind) => $"p{positionId}.{kind.Name()}";
    /// <summary><c>r7</c>.</summary>
    public static string Rule(long ruleId) => $"r{ruleId}";
    /// <summary><c>stale.binance.BTCUSDT</c>.</summary>
    public static string Stale(MarketKey key) => $"stale.{key.Venue.Name()}.{key.Symbol}";
    /// <summary><c>divergence.BTC</c>.</summary>
    public static string Divergence(string asset) => $"divergence.{asset}";
}

/// <summary>A user as the alert engine holds them: the sweep's <see cref="AlertUser"/> plus what messages and delivery need.</summary>
public sealed class BookUser
{
    /// <summary>The sweep's view.</summary>
    public required AlertUser Core { get; init; }
    /// <summary>The user row (detached).</summary>
    public required ChatUser User { get; init; }
    /// <summary>The user's time zone.</summary>
    public required TimeZoneInfo Zone { get; init; }
    /// <summary>Positions, in <see cref="AlertUser.Positions"/> order.</summary>
    public required Position[] Positions { get; init; }
    /// <summary>The calculator's report per position (null when the calculator rejects it now).</summary>
    public required CalcReport?[] Reports { get; init; }
    /// <summary>Symbol of each position.</summary>
    public required MarketKey[] PositionKeys { get; init; }
    /// <summary>The rule behind each rule subscription (null for stale and divergence subscriptions), in subscription order.</summary>
    public required UserRule?[] SubscriptionRules { get; init; }
    /// <summary>Symbol of each subscription.</summary>
    public required MarketKey[] SubscriptionKeys { get; init; }
    /// <summary>State slot → key.</summary>
    public required string[] Keys { get; init; }
    /// <summary>Muted assets and until when (null: until unmuted).</summary>
    public required Dictionary<string, DateTimeOffset?> MutedAssets { get; init; }
    /// <summary>Alerts counted against the daily cap on <see cref="Day"/>.</summary>
    public int CountedToday { get; set; }
    /// <summary>The user's current day.</summary>
    public DateOnly Day { get; set; }

    /// <summary>The slot of a key, or −1.</summary>
    public int SlotOf(string key) => Array.IndexOf(Keys, key);
}

/// <summary>A rule the engine evaluates for a symbol: one per distinct (symbol, rule, parameters).</summary>
/// <param name="Symbol">Index into the symbol table.</param>
/// <param name="Definition">The rule; R3 without a level follows the automatic swing low (level NaN).</param>
public sealed record BookRule(int Symbol, RuleDefinition Definition);

/// <summary>
/// Every active user's positions, rules and alert states in memory, for the sweep. Loaded from SQLite once, then
/// kept current by reloading only the users that changed (<see cref="Invalidate"/>, called after each command).
/// Symbols and rules get stable indices, so a user's reload never disturbs the others. Not thread-safe: the engine
/// calls it under its lock.
/// </summary>
public sealed class AlertBook(RiskCalculator calculator)
{
    private readonly List<BookUser> _users = [];
    private readonly List<AlertUser> _core = [];
    private readonly Dictionary<long, int> _index = [];
    private readonly List<MarketKey> _symbols = [];
    private readonly Dictionary<MarketKey, int> _symbolIndex = [];
    private readonly List<SymbolSignal> _signals = [];
    private readonly List<BookRule> _rules = [];
    private readonly Dictionary<(int, string), int> _ruleIndex = [];
    private readonly ConcurrentQueue<long> _dirty = new();
    private bool _loaded;

    /// <summary>Users, for the sweep.</summary>
    public IReadOnlyList<AlertUser> CoreUsers => _core;
    /// <summary>Users with their details.</summary>
    public IReadOnlyList<BookUser> Users => _users;
    /// <summary>Symbols referenced by any user, by index.</summary>
    public IReadOnlyList<MarketKey> Symbols => _symbols;
    /// <summary>One signal per symbol, filled by the engine before each sweep.</summary>
    public IReadOnlyList<SymbolSignal> Signals => _signals;
    /// <summary>Rules by index.</summary>
    public IReadOnlyList<BookRule> Rules => _rules;
    /// <summary>Symbols that have positions (the risk view is computed only for those).</summary>
    public HashSet<int> PositionSymbols { get; } = [];

    /// <summary>The user, if loaded.</summary>
    public BookUser? Find(long userId) => _index.TryGetValue(userId, out var i) ? _users[i] : null;

    /// <summary>Marks a user for reload at the next refresh (their positions, rules, settings or mutes may have changed).</summary>
    public void Invalidate(long userId) => _dirty.Enqueue(userId);

    /// <summary>Forgets everything; the next refresh loads all users again (a replay starting over).</summary>
    public void Reset()
    {
        _loaded = false;
        _dirty.Clear();
    }

    /// <summary>Loads everything the first time, then the users marked dirty.</summary>
    public async Task RefreshAsync(PerpGuardDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!_loaded)
        {
            _dirty.Clear();
            _users.Clear();
            _core.Clear();
            _index.Clear();
            PositionSymbols.Clear();
            var ids = await db.Users.AsNoTracking().Where(u => u.IsActive).Select(u => u.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            await LoadAsync(db, ids, now, cancellationToken).ConfigureAwait(false);
            _loaded = true;
            return;
        }
        var dirty = new HashSet<long>();
        while (_dirty.TryDequeue(out var id)) dirty.Add(id);
        if (dirty.Count > 0) await LoadAsync(db, [.. dirty], now, cancellationToken).ConfigureAwait(false);
    }

    private async Task LoadAsync(PerpGuardDbContext db, List<long> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Bulk reads in chunks (SQLite's parameter limit), grouped by owner.
        foreach (var chunk in ids.Chunk(500))
        {
            var users = await db.Users.AsNoTracking().Where(u => chunk.Contains(u.Id)).ToListAsync(cancellationToken).ConfigureAwait(false);
            var positions = (await db.Positions.AsNoTracking().Where(p => chunk.Contains(p.OwnerId)).OrderBy(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(p => p.OwnerId);
            var rules = (await db.Rules.AsNoTracking().Where(r => chunk.Contains(r.OwnerId)).OrderBy(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(r => r.OwnerId);
            var states = (await db.AlertStates.AsNoTracking().Where(s => chunk.Contains(s.OwnerId)).ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(s => s.OwnerId);
            var muted = (await db.MutedSymbols.AsNoTracking().Where(m => chunk.Contains(m.OwnerId)).ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(m => m.OwnerId);
            var since = now - TimeSpan.FromDays(2);
            var counted = (await db.Alerts.AsNoTracking().Where(a => chunk.Contains(a.OwnerId) && a.Counted && a.CreatedAt >= since)
                .Select(a => new { a.OwnerId, a.CreatedAt }).ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(a => a.OwnerId, a => a.CreatedAt);
            var found = users.ToDictionary(u => u.Id);
            foreach (var id in chunk)
            {
                if (!found.TryGetValue(id, out var user) || !user.IsActive)
                {
                    Remove(id);
                    continue;
                }
                var entry = Build(user, [.. positions[id]], [.. rules[id]], states[id], muted[id], now);
                var day = DayOf(entry, now);
                entry.Day = day;
                entry.CountedToday = counted[id].Count(t => DayOf(entry, t) == day);
                Put(entry);
            }
        }
    }

    /// <summary>The user's calendar day at <paramref name="at"/>.</summary>
    public static DateOnly DayOf(BookUser user, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(user);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, user.Zone).DateTime);
    }

    private BookUser Build(ChatUser user, List<Position> positions, List<UserRule> rules, IEnumerable<AlertStateRow> stateRows, IEnumerable<MutedSymbol> muted, DateTimeOffset now)
    {
        var watched = new WatchedPosition[positions.Count];
        var reports = new CalcReport?[positions.Count];
        var keys = new MarketKey[positions.Count];
        for (var i = 0; i < positions.Count; i++)
        {
            var p = positions[i];
            keys[i] = KeyOf(p.Venue, p.Symbol);
            var report = calculator.Calculate(PositionCommands.StoredRequest(p)).Report;
            reports[i] = report;
            var symbol = SymbolIndex(keys[i]);
            PositionSymbols.Add(symbol);
            watched[i] = new WatchedPosition
            {
                Symbol = symbol,
                Side = p.Side,
                Liquidation = report?.Liquidation.Value ?? double.NaN,
                Quantity = p.Quantity,
                InverseContractSize = report is { Terms.Contract: ContractType.Inverse } ? report.Terms.ContractSize : 0,
                Collateral = report?.Terms.Collateral ?? 0,
                Entry = p.Entry,
            };
        }

        var subscriptions = new List<AlertSubscription>();
        var subscriptionRules = new List<UserRule?>();
        var subscriptionKeys = new List<MarketKey>();
        foreach (var rule in rules)
        {
            if (!RiskCommands.TryDefinition(rule, out var definition, out _)) continue;
            var key = KeyOf(rule.Venue, rule.Symbol);
            var symbol = SymbolIndex(key);
            subscriptions.Add(new AlertSubscription(symbol, AlertKind.Rule, RuleIndex(symbol, rule, definition!)));
            subscriptionRules.Add(rule);
            subscriptionKeys.Add(key);
        }
        foreach (var key in keys.Distinct())
        {
            subscriptions.Add(new AlertSubscription(SymbolIndex(key), AlertKind.Stale, -1));
            subscriptionRules.Add(null);
            subscriptionKeys.Add(key);
        }
        // One divergence key per held asset (every venue of the asset carries the same signal).
        foreach (var key in keys.DistinctBy(k => AssetOf(k.Symbol)))
        {
            subscriptions.Add(new AlertSubscription(SymbolIndex(key), AlertKind.Divergence, -1));
            subscriptionRules.Add(null);
            subscriptionKeys.Add(key);
        }

        var thresholds = new AlertThresholds([.. user.Alerts.Levels], user.Alerts.HitChance, user.Alerts.FundingShare);
        var core = new AlertUser(user.Id, thresholds, watched, [.. subscriptions]);
        var slotKeys = new string[core.States.Length];
        for (var i = 0; i < positions.Count; i++)
            foreach (var kind in AlertKinds.PerPosition) slotKeys[AlertUser.Slot(i, kind)] = AlertKeys.Position(positions[i].Id, kind);
        for (var i = 0; i < subscriptions.Count; i++)
            slotKeys[core.SubscriptionSlot(i)] = subscriptionRules[i] is { } r ? AlertKeys.Rule(r.Id)
                : subscriptions[i].Kind == AlertKind.Divergence ? AlertKeys.Divergence(AssetOf(subscriptionKeys[i].Symbol)) : AlertKeys.Stale(subscriptionKeys[i]);
        var byKey = stateRows.ToDictionary(s => s.Key);
        for (var i = 0; i < slotKeys.Length; i++)
            if (byKey.TryGetValue(slotKeys[i], out var row)) core.States[i] = row.ToState();

        return new BookUser
        {
            Core = core,
            User = user,
            Zone = UserTime.Find(user.TimeZone),
            Positions = [.. positions],
            Reports = reports,
            PositionKeys = keys,
            SubscriptionRules = [.. subscriptionRules],
            SubscriptionKeys = [.. subscriptionKeys],
            Keys = slotKeys,
            MutedAssets = muted.Where(m => m.Until is null || m.Until > now).ToDictionary(m => m.Asset, m => m.Until),
        };
    }

    /// <summary>The market key of a stored symbol: the venue's native symbol when known.</summary>
    public static MarketKey KeyOf(Venue venue, string symbol) =>
        VenueSymbols.TryResolve(venue, symbol, out var instrument) ? new MarketKey(venue, instrument.Symbol) : new MarketKey(venue, symbol);

    /// <summary>The base asset of a symbol (<c>BTC</c> for BTCUSDT), what /mute works on.</summary>
    public static string AssetOf(string symbol) => SymbolName.TryParse(symbol, out var asset, out _) ? asset : symbol.ToUpperInvariant();

    private int SymbolIndex(MarketKey key)
    {
        if (_symbolIndex.TryGetValue(key, out var i)) return i;
        _symbolIndex[key] = i = _symbols.Count;
        _symbols.Add(key);
        _signals.Add(new SymbolSignal());
        return i;
    }

    private int RuleIndex(int symbol, UserRule rule, RuleDefinition definition)
    {
        var id = (symbol, $"{rule.Rule} {rule.Parameters}");
        if (_ruleIndex.TryGetValue(id, out var i)) return i;
        _ruleIndex[id] = i = _rules.Count;
        _rules.Add(new BookRule(symbol, definition));
        return i;
    }

    private void Put(BookUser entry)
    {
        if (_index.TryGetValue(entry.User.Id, out var i))
        {
            _users[i] = entry;
            _core[i] = entry.Core;
            return;
        }
        _index[entry.User.Id] = _users.Count;
        _users.Add(entry);
        _core.Add(entry.Core);
    }

    private void Remove(long id)
    {
        if (!_index.Remove(id, out var i)) return;
        var last = _users.Count - 1;
        if (i != last)
        {
            _users[i] = _users[last];
            _core[i] = _core[last];
            _index[_users[i].User.Id] = i;
        }
        _users.RemoveAt(last);
        _core.RemoveAt(last);
    }
}
