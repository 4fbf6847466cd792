using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Risk;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Commands;

/// <summary>
/// <c>/clusters</c> (the estimated liquidation ladder around price), <c>/rules</c> (the invalidation rules in force and
/// where each stands) and <c>/rule</c> (add, remove, presets). Rules are per user: every query filters on the sender.
/// </summary>
public sealed class RiskCommands(RiskService risk, PositionCommands positions)
{
    /// <summary><c>/clusters [venue] &lt;symbol&gt;</c>.</summary>
    public async Task<Reply> ClustersAsync(CommandContext c, CancellationToken cancellationToken)
    {
        if (!TrySymbol(c, c.Command.Tokens, out var key, out var rest, out var wrong)) return wrong!;
        if (rest.Count > 0) return c.Wrong(new ArgumentError(CommandText.Shorten(rest[0]), "is not expected; give a venue and a symbol only"));
        var r = await risk.AnalyzeAsync(c.Db, key, c.Now, cancellationToken);
        var headline = $"{key.Venue.Name()} {key.Symbol} liquidation clusters (estimate)";
        if (r.Price is null || r.Map is null)
            return Reply.Of(ReplyTone.Warning, headline, new ReplyLine("Map", r.PriceGap ?? $"n/a: {r.MapGap}"));

        var marks = new List<LiquidationMark>();
        foreach (var p in await c.Db.Positions.Where(p => p.OwnerId == c.User.Id && p.Venue == key.Venue).OrderBy(p => p.Id).ToListAsync(cancellationToken))
        {
            if (!VenueSymbols.TryResolve(p.Venue, p.Symbol, out var i) || i.Symbol != key.Symbol) continue;
            if (positions.Evaluate(p).Report?.Liquidation.Value is { } liq) marks.Add(new LiquidationMark(p.Id, p.Side, liq));
        }
        var ladder = RiskText.Ladder(r, marks);
        var details = new List<ReplyLine>
        {
            new("Mark", RiskText.PriceText(r.Price.Value)),
            new("Within ±2%", $"long {RiskText.Usd(r.Map.NotionalWithin(PositionSide.Long, 0.02))} · short {RiskText.Usd(r.Map.NotionalWithin(PositionSide.Short, 0.02))}"),
        };
        if (r.Down is { } down) details.Add(new ReplyLine("Downside", $"{down.Label.ToString().ToUpperInvariant()} · trigger {(double.IsFinite(down.TriggerCostUsd) ? RiskText.Usd(down.TriggerCostUsd) : "n/a")}"));
        if (r.Up is { } up) details.Add(new ReplyLine("Upside", $"{up.Label.ToString().ToUpperInvariant()} · trigger {(double.IsFinite(up.TriggerCostUsd) ? RiskText.Usd(up.TriggerCostUsd) : "n/a")}"));
        if (r.Down is null && r.Up is null) details.Add(new ReplyLine("Cascade", $"n/a: {r.DepthGap}"));
        details.Add(new ReplyLine("Map", RiskText.MapNote(r)));
        return new Reply
        {
            Headline = headline,
            Sections = [new ReplySection(null, [.. ladder.Select(l => new ReplyLine(null, l))]) { Monospace = true }, new ReplySection(null, details)],
        };
    }

    /// <summary><c>/rules</c>: every rule in force for the user's symbols, with its state and evidence.</summary>
    public static async Task<Reply> RulesAsync(CommandContext c, CancellationToken cancellationToken)
    {
        if (c.Command.Tokens.Count > 0) return c.Wrong("/rules takes no arguments; /rule add, /rule remove and /rule presets change them.");
        var rules = await c.Db.Rules.Where(r => r.OwnerId == c.User.Id).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        if (rules.Count == 0)
            return Reply.Of(ReplyTone.Info, "No rules in force.", new ReplyLine("Presets", "/rule presets BTC adds a sensible set for a symbol"),
                new ReplyLine("Support", "/rule add support BTC 100000 watches a level you pick"));
        var sections = new List<ReplySection>();
        var histories = new Dictionary<MarketKey, SymbolHistory>();
        foreach (var rule in rules)
        {
            var key = new MarketKey(rule.Venue, rule.Symbol);
            if (!histories.TryGetValue(key, out var history))
                histories[key] = history = await MarketHistory.LoadAsync(c.Db, key, c.Now - TimeSpan.FromDays(30), c.Now, cancellationToken);
            sections.Add(RuleSection(rule, history, c.Now));
        }
        var firing = sections.Count(s => s.Title!.Contains("FIRED", StringComparison.Ordinal));
        return new Reply
        {
            Tone = firing > 0 ? ReplyTone.Warning : ReplyTone.Info,
            Headline = $"{rules.Count} rule{(rules.Count == 1 ? "" : "s")} in force{(firing > 0 ? $", {firing} fired" : "")}",
            Sections = sections,
        };
    }

    /// <summary><c>/rule add|remove|presets ...</c>.</summary>
    public static async Task<Reply> RuleAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count == 0) return c.Wrong(new ArgumentError("action", "is missing; add, remove or presets"));
        var rest = tokens.Skip(1).ToList();
        return tokens[0].ToLowerInvariant() switch
        {
            "add" => await AddAsync(c, rest, cancellationToken),
            "remove" or "rm" or "delete" => await RemoveAsync(c, rest, cancellationToken),
            "presets" or "preset" => await PresetsAsync(c, rest, cancellationToken),
            var other => c.Wrong(new ArgumentError(CommandText.Shorten(other), "is not an action; use add, remove or presets")),
        };
    }

    private static async Task<Reply> AddAsync(CommandContext c, List<string> tokens, CancellationToken cancellationToken)
    {
        if (tokens.Count == 0) return c.Wrong(new ArgumentError("rule", "is missing; R1 to R5, or support"));
        if (!RuleKinds.TryParse(tokens[0], out var kind))
            return c.Wrong(new ArgumentError(CommandText.Shorten(tokens[0]), "is not a rule; use R1 (OI rebuild), R2 (hot funding), R3 or support (level lost), R4 (basis), R5 (perp volume spike)"));
        if (!TrySymbol(c, tokens.Skip(1).ToList(), out var key, out var rest, out var wrong)) return wrong!;
        var assignments = rest;
        if (kind == RuleKind.SupportLost && rest.Count > 0 && !rest[0].Contains('=', StringComparison.Ordinal))
        {
            if (!PositionArgs.TryNumber(rest[0], "price", out var level, out var priceError)) return c.Wrong(priceError);
            assignments = [$"level={level.ToString(CultureInfo.InvariantCulture)}", .. rest.Skip(1)];
        }
        if (!RuleDefinition.TryCreate(kind, assignments, out var definition, out var error)) return c.Wrong(error!);
        if (await c.Db.Rules.CountAsync(r => r.OwnerId == c.User.Id, cancellationToken) >= UserRule.MaxPerUser)
            return Reply.Text(ReplyTone.Error, $"You keep {UserRule.MaxPerUser} rules, the most PerpGuard keeps per user. Remove one first (/rule remove <id>).");
        var row = Row(c, key, definition!);
        c.Db.Rules.Add(row);
        await c.Db.SaveChangesAsync(cancellationToken);
        return Reply.Of(ReplyTone.Success, $"Rule #{row.Id} in force: {definition!.Describe()} on {key.Venue.Name()} {key.Symbol}.",
            new ReplyLine("See", "/rules shows where it stands"), new ReplyLine("Undo", $"/rule remove {row.Id}"));
    }

    private static async Task<Reply> RemoveAsync(CommandContext c, List<string> tokens, CancellationToken cancellationToken)
    {
        if (tokens.Count != 1) return c.Wrong(new ArgumentError("id", tokens.Count == 0 ? "is missing; /rules lists yours" : "give one rule id"));
        if (!PositionCommands.TryParseId(tokens[0], out var id)) return c.Wrong(new ArgumentError("id", $"'{CommandText.Shorten(tokens[0])}' is not a rule id; /rules lists yours"));
        var row = await c.Db.Rules.FirstOrDefaultAsync(r => r.Id == id && r.OwnerId == c.User.Id, cancellationToken);
        if (row is null) return Reply.Text(ReplyTone.Error, $"No rule #{id}. Send /rules to see yours.");
        c.Db.Rules.Remove(row);
        await c.Db.SaveChangesAsync(cancellationToken);
        return Reply.Of(ReplyTone.Success, $"Removed rule #{row.Id} ({row.Rule} on {row.Venue.Name()} {row.Symbol}).");
    }

    /// <summary>R1, R2, R4 and R5 at their defaults and R3 on the automatic swing-low level, for one symbol or every held one.</summary>
    private static async Task<Reply> PresetsAsync(CommandContext c, List<string> tokens, CancellationToken cancellationToken)
    {
        List<MarketKey> keys;
        if (tokens.Count > 0)
        {
            if (!TrySymbol(c, tokens, out var key, out var rest, out var wrong)) return wrong!;
            if (rest.Count > 0) return c.Wrong(new ArgumentError(CommandText.Shorten(rest[0]), "is not expected; give a venue and a symbol only"));
            keys = [key];
        }
        else
        {
            keys = [.. (await c.Db.Positions.Where(p => p.OwnerId == c.User.Id).ToListAsync(cancellationToken))
                .Select(p => VenueSymbols.TryResolve(p.Venue, p.Symbol, out var i) ? new MarketKey(p.Venue, i.Symbol) : (MarketKey?)null)
                .OfType<MarketKey>().Distinct()];
            if (keys.Count == 0) return c.Wrong("You hold no positions; name a symbol, e.g. /rule presets BTC.");
        }
        var existing = await c.Db.Rules.Where(r => r.OwnerId == c.User.Id).ToListAsync(cancellationToken);
        var added = new List<string>();
        foreach (var key in keys)
        {
            foreach (var kind in Enum.GetValues<RuleKind>())
            {
                if (existing.Any(r => r.Venue == key.Venue && r.Symbol == key.Symbol && r.Rule == RuleKinds.Code(kind))) continue;
                if (existing.Count + added.Count >= UserRule.MaxPerUser) break;
                var definition = new RuleDefinition(kind, new Dictionary<string, double>());
                c.Db.Rules.Add(Row(c, key, definition));
                added.Add($"{RuleKinds.Code(kind)} {key.Venue.Name()} {key.Symbol}");
            }
        }
        await c.Db.SaveChangesAsync(cancellationToken);
        return added.Count == 0
            ? Reply.Text(ReplyTone.Info, "Every preset rule is already in force. /rules shows them.")
            : Reply.Of(ReplyTone.Success, $"Added {added.Count} preset rule{(added.Count == 1 ? "" : "s")} (R3 follows the latest 7-day swing low).",
                new ReplyLine("Rules", string.Join(" · ", added)), new ReplyLine("See", "/rules"));
    }

    private static UserRule Row(CommandContext c, MarketKey key, RuleDefinition definition) => new()
    {
        OwnerId = c.User.Id,
        Venue = key.Venue,
        Symbol = key.Symbol,
        Rule = RuleKinds.Code(definition.Kind),
        Parameters = string.Join(' ', definition.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => $"{v.Key}={v.Value.ToString("R", CultureInfo.InvariantCulture)}")),
        CreatedAt = c.Now,
    };

    private static ReplySection RuleSection(UserRule row, SymbolHistory history, DateTimeOffset now)
    {
        var title = $"#{row.Id} {row.Rule} {row.Venue.Name()} {row.Symbol}";
        if (!TryDefinition(row, out var definition, out var error))
            return new ReplySection(title, [new ReplyLine("Problem", $"stored rule no longer valid ({error}); remove it with /rule remove {row.Id}")]);
        var hasSpot = VenueSymbols.TryResolve(row.Venue, row.Symbol, out var instrument) && instrument.SpotSymbol is not null;
        var inputs = RuleEvaluator.Inputs(history, hasSpot);
        var state = RuleEvaluator.Evaluate(definition!, inputs, history.Perp, now - RuleEvaluator.Walk, now);
        var lines = new List<ReplyLine>();
        if (state.Problem is { } problem)
        {
            lines.Add(new ReplyLine("Rule", "R3 support lost below the latest 7-day swing low (automatic)"));
            lines.Add(new ReplyLine("State", $"n/a: {problem}"));
            return new ReplySection(title, lines);
        }
        lines.Add(new ReplyLine("Rule", state.Rule.Describe() + (definition!.Kind == RuleKind.SupportLost && double.IsNaN(definition["level"]) ? " (automatic: latest 7-day swing low)" : "")));
        var result = state.Now!;
        var status = result.Fired ? $"FIRED (severity {result.Severity:0.00})" : !result.Evaluable ? "not evaluable yet" : state.Status switch
        {
            RuleStatus.Cooldown => "cooling down after a firing",
            RuleStatus.WaitingRearm => "fired earlier; waiting to re-arm",
            _ => "armed, not firing",
        };
        lines.Add(new ReplyLine("State", status + (state.LastFired is { } t ? $" · last fired {t:yyyy-MM-dd HH:mm} UTC (severity {state.LastFiring!.Severity:0.00})" : "")));
        if (result.Evidence.Count > 0) lines.Add(new ReplyLine("Evidence", string.Join(" · ", result.Evidence.Select(Evidence))));
        if (result.Missing.Count > 0) lines.Add(new ReplyLine("Missing", string.Join("; ", result.Missing)));
        return new ReplySection(result.Fired ? $"{title} · FIRED" : title, lines);
    }

    // A stored row back as a definition. A preset R3 is stored without a level: it follows the automatic swing low
    // (level NaN), which TryCreate (for typed commands) rightly refuses.
    internal static bool TryDefinition(UserRule row, out RuleDefinition? definition, out string? error)
    {
        definition = null;
        error = row.Rule;
        if (!RuleKinds.TryParse(row.Rule, out var kind)) return false;
        var assignments = row.Parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var automatic = kind == RuleKind.SupportLost && !assignments.Any(a => a.StartsWith("level=", StringComparison.OrdinalIgnoreCase));
        if (automatic) assignments.Add("level=1");
        if (!RuleDefinition.TryCreate(kind, assignments, out definition, out error)) return false;
        if (automatic) definition = definition! with { Values = new Dictionary<string, double>(definition.Values) { ["level"] = double.NaN } };
        return true;
    }

    // Units as the rules write them: "%" already ×100, "pp" percentage points, "unix s" a time, "price"/"count" bare.
    internal static string Evidence(Evidence e) => e.Unit switch
    {
        "%" => string.Create(CultureInfo.InvariantCulture, $"{e.Name} {e.Value:0.###}%"),
        "pp" => string.Create(CultureInfo.InvariantCulture, $"{e.Name} {e.Value:0.##} pp"),
        "USD" => $"{e.Name} {RiskText.Usd(e.Value)}",
        "unix s" => string.Create(CultureInfo.InvariantCulture, $"{e.Name} {DateTimeOffset.FromUnixTimeSeconds((long)e.Value):MM-dd HH:mm} UTC"),
        "price" or "count" or "" => $"{e.Name} {Number(e.Value)}",
        _ => $"{e.Name} {Number(e.Value)} {e.Unit}",
    };

    private static string Number(double v) => Math.Abs(v) >= 1000 ? v.ToString("#,##0.##", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    // [venue] <symbol>, the venue defaulting to the user's. The rest of the tokens come back.
    private static bool TrySymbol(CommandContext c, IReadOnlyList<string> tokens, out MarketKey key, out List<string> rest, out Reply? wrong)
    {
        key = default;
        rest = [];
        wrong = null;
        var i = 0;
        var venue = c.User.DefaultVenue;
        if (tokens.Count > 0 && VenueRules.TryParseVenue(tokens[0], out var v))
        {
            venue = v;
            i = 1;
        }
        if (i >= tokens.Count)
        {
            wrong = c.Wrong(new ArgumentError("symbol", "is missing"));
            return false;
        }
        if (!VenueSymbols.TryResolve(venue, tokens[i], out var instrument))
        {
            wrong = c.Wrong(new ArgumentError("symbol", $"'{CommandText.Shorten(tokens[i])}' is not a symbol on {venue.Name()}; write it like BTC, BTCUSDT or BTC-USDT-SWAP"));
            return false;
        }
        key = new MarketKey(venue, instrument.Symbol);
        rest = [.. tokens.Skip(i + 1)];
        return true;
    }
}
