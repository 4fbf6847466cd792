using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Market;
using PerpGuard.Core.Market;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Risk;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Commands;

/// <summary>
/// <c>/add</c>, <c>/positions</c>, <c>/risk</c>, <c>/liq</c>, <c>/edit</c> and <c>/remove</c>. Every query filters on the
/// sender's id, so another user's position id finds nothing, exactly like an id that does not exist.
/// </summary>
public sealed class PositionCommands(RiskCalculator calculator, MarketState market, RiskService risk, AlertEngine alerts)
{
    /// <summary>Positions one user may track.</summary>
    public const int MaxPositionsPerUser = 50;


    /// <summary><c>/add</c>: validate with the calculator, then save.</summary>
    public async Task<Reply> AddAsync(CommandContext c, CancellationToken cancellationToken)
    {
        if (!PositionArgs.TryParse(c.Command.Tokens, allowMark: false, out var draft, out var argError)) return c.Wrong(argError);
        var outcome = calculator.Calculate(Request(draft, c.User.DefaultVenue));
        if (outcome.Error is { } error) return c.Wrong(ToArgument(error));
        var count = await c.Db.Positions.CountAsync(p => p.OwnerId == c.User.Id, cancellationToken);
        if (count >= MaxPositionsPerUser)
            return Reply.Text(ReplyTone.Error, $"You track {count} positions, the most PerpGuard keeps per user. Remove one first (/remove <id>).");

        var report = outcome.Report!;
        var position = new Position
        {
            OwnerId = c.User.Id,
            Venue = report.Terms.Venue,
            Symbol = (report.Symbol ?? draft.Symbol).ToUpperInvariant(),
            Contract = report.Terms.Contract,
            MarginMode = report.Terms.Mode,
            Side = report.Terms.Side,
            Quantity = draft.Qty,
            Entry = draft.Entry,
            Leverage = draft.Leverage,
            Margin = draft.Margin,
            Wallet = draft.Wallet,
            Mmr = draft.Mmr,
            Label = draft.Label,
            CreatedAt = c.Now,
            UpdatedAt = c.Now,
        };
        c.Db.Positions.Add(position);
        await c.Db.SaveChangesAsync(cancellationToken);
        return new Reply
        {
            Tone = ReplyTone.Success,
            Headline = $"Added #{position.Id}. /risk {position.Id} shows the full card.",
            Sections = [Summary(position, report)],
        };
    }

    /// <summary><c>/positions</c>: one compact section per position.</summary>
    public async Task<Reply> ListAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var positions = await Owned(c).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        if (positions.Count == 0) return NoPositions(c);
        return new Reply
        {
            Headline = positions.Count == 1 ? "Your position" : $"Your {positions.Count} positions",
            Sections = [.. positions.Select(p => Summary(p, Evaluate(p)))],
            Buttons = Refresh(c),
        };
    }

    /// <summary><c>/risk [id|symbol]</c>: the full card of one position, of a symbol's positions, or of all.</summary>
    public async Task<Reply> RiskAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count > 1) return c.Wrong("Give one position id or one symbol.");
        var positions = await Owned(c).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        if (tokens.Count == 1)
        {
            if (TryParseId(tokens[0], out var id))
            {
                positions = [.. positions.Where(p => p.Id == id)];
                if (positions.Count == 0) return NotFound(tokens[0]);
            }
            else if (SymbolName.TryParse(tokens[0], out var wanted, out _))
            {
                positions = [.. positions.Where(p => SymbolName.TryParse(p.Symbol, out var b, out _) && b == wanted)];
                if (positions.Count == 0) return Reply.Text(ReplyTone.Error, $"You have no {wanted} position. Send /positions to see yours.");
            }
            else
            {
                return c.Wrong(new ArgumentError("id|symbol", $"'{CommandText.Shorten(tokens[0])}' is neither a position id nor a symbol"));
            }
        }
        else if (positions.Count == 0)
        {
            return NoPositions(c);
        }

        var sections = new List<ReplySection>();
        var views = new Dictionary<MarketKey, SymbolRisk>();
        foreach (var p in positions)
        {
            SymbolRisk? view = null;
            if (VenueSymbols.TryResolve(p.Venue, p.Symbol, out var instrument))
            {
                var key = new MarketKey(p.Venue, instrument.Symbol);
                if (!views.TryGetValue(key, out view)) views[key] = view = await risk.AnalyzeAsync(c.Db, key, c.Now, cancellationToken);
            }
            var outcome = Evaluate(p, view?.Volatility);
            if (outcome.Report is not { } report)
            {
                sections.Add(Broken(p, outcome.Error!));
                continue;
            }
            var lines = PositionCard.Lines(report, Hints(p.Venue, p.Symbol, view));
            lines.AddRange(PositionCard.LadderAndAdl(report));
            if (view is null) lines.Add(new ReplyLine("Clusters", MarketGaps.NoClusters));
            else lines.AddRange(RiskText.PositionLines(view, p.Side, report.Liquidation.Value, risk.Options.Horizon));
            sections.Add(new ReplySection($"#{p.Id} {PositionCard.Headline(report)}{LabelSuffix(p)}", lines));
        }
        return new Reply { Headline = positions.Count == 1 ? "Risk card" : $"Risk cards ({positions.Count})", Sections = sections, Buttons = Refresh(c) };
    }

    // A Refresh button re-runs the command as typed (normalized) and edits the card in place, where the channel can.
    private static IReadOnlyList<ReplyButton> Refresh(CommandContext c) => c.Message.SupportsButtons
        ? [new ReplyButton("↻ Refresh", $"/{c.Spec.Name}{(c.Command.Rest.Length == 0 ? "" : " " + c.Command.Rest)}") { Refresh = true }]
        : [];

    /// <summary><c>/liq</c>: the card for a position typed inline; nothing is stored.</summary>
    public Reply Liq(CommandContext c)
    {
        if (!PositionArgs.TryParse(c.Command.Tokens, allowMark: true, out var draft, out var argError)) return c.Wrong(argError);
        var request = Request(draft, c.User.DefaultVenue);
        var venue = draft.Venue ?? c.User.DefaultVenue;
        // The live mark and funding fill in what the user did not type (a typed mark wins).
        var live = Live(venue, draft.Symbol);
        request.Mark ??= live?.Mark;
        request.FundingRate ??= live?.FundingRate;
        request.FundingIntervalHours ??= live?.FundingIntervalHours;
        var outcome = calculator.Calculate(request);
        if (outcome.Error is { } error) return c.Wrong(ToArgument(error));
        var report = outcome.Report!;
        return new Reply
        {
            Headline = "One-off calculation (not saved; /add tracks it)",
            Sections = [new ReplySection(PositionCard.Headline(report), Card(report, Hints(venue, draft.Symbol)))],
        };
    }

    /// <summary><c>/edit &lt;id&gt; &lt;field&gt; &lt;value&gt; [...]</c>: changes are checked by the calculator before anything is saved.</summary>
    public async Task<Reply> EditAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count == 0) return c.Wrong(new ArgumentError("id", "is missing"));
        if (!TryParseId(tokens[0], out var id)) return c.Wrong(new ArgumentError("id", $"'{CommandText.Shorten(tokens[0])}' is not a position id; /positions lists yours"));
        if (tokens.Count == 1) return c.Wrong(new ArgumentError("field", "is missing; one of qty, entry, leverage, side, mode, margin, wallet, mmr, label"));
        var position = await Owned(c).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (position is null) return NotFound(tokens[0]);

        var edited = Copy(position);
        var changed = new List<string>();
        for (var i = 1; i < tokens.Count;)
        {
            var field = tokens[i].ToLowerInvariant();
            if (field is "label" or "note")
            {
                if (!PositionArgs.TryLabel(tokens.Skip(i + 1), out var label, out var labelError)) return c.Wrong(labelError);
                if (label.Length == 0) return c.Wrong(new ArgumentError("label", "needs a value, or none to clear it"));
                edited.Label = IsNone(label) ? null : label;
                changed.Add("label");
                break;
            }
            if (i + 1 >= tokens.Count) return c.Wrong(new ArgumentError(CommandText.Shorten(field), "needs a value after it"));
            var error = Apply(edited, field, tokens[i + 1]);
            if (error is not null) return c.Wrong(error);
            changed.Add(field);
            i += 2;
        }

        var outcome = Evaluate(edited);
        if (outcome.Error is { } calcError) return c.Wrong($"{ToArgument(calcError)}. Nothing was changed.");
        CopyTerms(edited, position);
        position.UpdatedAt = c.Now;
        await c.Db.SaveChangesAsync(cancellationToken);
        await alerts.ForgetPositionAsync(c.Db, c.User.Id, position.Id, cancellationToken);
        return new Reply
        {
            Tone = ReplyTone.Success,
            Headline = $"Updated #{position.Id}: {string.Join(", ", changed.Distinct())}.",
            Sections = [Summary(position, outcome.Report!)],
        };
    }

    /// <summary><c>/remove &lt;id&gt;</c>: asks first where the channel has buttons; the reply shows how to add it back.</summary>
    public async Task<Reply> RemoveAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count == 0) return c.Wrong(new ArgumentError("id", "is missing"));
        if (!TryParseId(tokens[0], out var id)) return c.Wrong(new ArgumentError("id", $"'{CommandText.Shorten(tokens[0])}' is not a position id; /positions lists yours"));
        var confirmed = tokens.Count > 1 && tokens[1].Equals("confirm", StringComparison.OrdinalIgnoreCase);
        if (tokens.Count > 2 || tokens.Count == 2 && !confirmed) return c.Wrong("Give one position id.");
        var position = await Owned(c).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (position is null) return NotFound(tokens[0]);

        if (c.Message.SupportsButtons && !confirmed)
        {
            return new Reply
            {
                Tone = ReplyTone.Warning,
                Headline = $"Stop tracking #{position.Id} {Describe(position)}?",
                Buttons = [new ReplyButton("Remove", $"/remove {position.Id} confirm"), new ReplyButton("Keep", "/positions")],
            };
        }
        c.Db.Positions.Remove(position);
        await c.Db.SaveChangesAsync(cancellationToken);
        await alerts.ForgetPositionAsync(c.Db, c.User.Id, position.Id, cancellationToken);
        return Reply.Of(ReplyTone.Success, $"Removed #{position.Id} {Describe(position)}.", new ReplyLine("Undo", AddCommand(position)));
    }

    private static IQueryable<Position> Owned(CommandContext c) => c.Db.Positions.Where(p => p.OwnerId == c.User.Id);

    /// <summary>
    /// The calculator's answer for a stored position on the fresh mark and funding; with a volatility (realized, from
    /// stored candles) it also carries the hit chance over the configured horizon.
    /// </summary>
    public CalcOutcome Evaluate(Position p, double? volatility = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        var live = Live(p.Venue, p.Symbol);
        var usable = volatility is { } v && double.IsFinite(v) && v > 0;
        var request = StoredRequest(p);
        request.Mark = live?.Mark;
        request.Volatility = usable ? volatility : null;
        request.HorizonHours = usable ? risk.Options.Horizon.TotalHours : null;
        request.FundingRate = live?.FundingRate;
        request.FundingIntervalHours = live?.FundingIntervalHours;
        return calculator.Calculate(request);
    }

    /// <summary>The calculator request for a stored position's terms (no market data).</summary>
    public static CalcRequest StoredRequest(Position p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new CalcRequest
        {
            Venue = p.Venue.Name(),
            Symbol = p.Symbol,
            Contract = p.Contract == ContractType.Inverse ? "inverse" : "linear",
            MarginMode = p.MarginMode == MarginMode.Cross ? "cross" : "isolated",
            Side = p.Side == PositionSide.Long ? "long" : "short",
            Qty = p.Quantity,
            Entry = p.Entry,
            Leverage = p.Leverage,
            Margin = p.Margin,
            WalletBalance = p.Wallet,
            Mmr = p.Mmr,
        };
    }

    // The symbol's current ticker values, or null when there is none or it is stale (never used as current).
    private LiveTicker? Live(Venue venue, string symbol)
    {
        if (!VenueSymbols.TryResolve(venue, symbol, out var instrument)) return null;
        var view = market.View(new MarketKey(venue, instrument.Symbol));
        if (!view.Fresh(MarketFeed.Prices)) return null;
        var t = view.Ticker!;
        return double.IsFinite(t.FundingRate) && double.IsFinite(t.FundingIntervalHours)
            ? new LiveTicker(t.Mark, t.FundingRate, t.FundingIntervalHours)
            : new LiveTicker(t.Mark, null, null);
    }

    private sealed record LiveTicker(double Mark, double? FundingRate, double? FundingIntervalHours);

    // Why the card has no distance or funding: no data for the symbol yet, or data too old to use.
    private CardHints Hints(Venue venue, string symbol, SymbolRisk? view = null)
    {
        var freshness = VenueSymbols.TryResolve(venue, symbol, out var instrument)
            ? market.FreshnessOf(new MarketKey(venue, instrument.Symbol), MarketFeed.Prices)
            : new Freshness(MarketFeed.Prices, null, null, true, null);
        return new CardHints(MarketGaps.NoMark(freshness), MarketGaps.NoFunding(freshness), view is null ? MarketGaps.NoHitChance : MarketGaps.NoVolatility);
    }

    private static CalcRequest Request(PositionDraft d, Venue defaultVenue) => new()
    {
        Venue = (d.Venue ?? defaultVenue).Name(),
        Symbol = d.Symbol,
        MarginMode = d.Mode is null ? null : d.Mode == MarginMode.Cross ? "cross" : "isolated",
        Side = d.Side == PositionSide.Long ? "long" : "short",
        Qty = d.Qty,
        Entry = d.Entry,
        Leverage = d.Leverage,
        Margin = d.Margin,
        WalletBalance = d.Wallet,
        Mmr = d.Mmr,
        Mark = d.Mark,
    };

    private static List<ReplyLine> Card(CalcReport report, CardHints hints)
    {
        var lines = PositionCard.Lines(report, hints);
        lines.Add(new ReplyLine("Clusters", MarketGaps.NoClusters));
        return lines;
    }

    private ReplySection Summary(Position p, CalcOutcome outcome) =>
        outcome.Report is { } report ? Summary(p, report) : Broken(p, outcome.Error!);

    private ReplySection Summary(Position p, CalcReport report)
    {
        var lines = new List<ReplyLine>();
        if (PositionCard.LiquidationShort(report) is { } liq && report.Liquidation.Value is { } price)
        {
            lines.Add(new ReplyLine("Liquidation", liq));
            var fromEntry = (int)p.Side * (p.Entry - price) / p.Entry;
            var toMark = report.Distance is { } d ? $"{PositionCard.PercentText(d)} from mark {PositionCard.PriceText(report, report.Mark!.Value)}"
                : $"to mark {Hints(p.Venue, p.Symbol).NoMark}";
            lines.Add(new ReplyLine("Distance", $"{PositionCard.PercentText(fromEntry)} from entry · {toMark}"));
        }
        else
        {
            lines.Add(new ReplyLine("Liquidation", "none: this position cannot be liquidated (its collateral covers any move)"));
        }
        return new ReplySection($"#{p.Id} {PositionCard.Headline(report)}{LabelSuffix(p)}", lines);
    }

    // A stored position the calculator now rejects (e.g. a tier table changed): say so instead of hiding it.
    private static ReplySection Broken(Position p, InputError error) =>
        new($"#{p.Id} {Describe(p)}{LabelSuffix(p)}", [new ReplyLine("Problem", $"{ToArgument(error)}. Fix it with /edit {p.Id} <field> <value>.")]);

    private static string LabelSuffix(Position p) => p.Label is null ? "" : $" · “{p.Label}”";

    private static string Describe(Position p) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Venue.Name()} {p.Symbol} {p.Side.ToString().ToUpperInvariant()} {Number(p.Quantity)} @ {Number(p.Entry)}");

    /// <summary>The <c>/add</c> command that recreates <paramref name="p"/>.</summary>
    public static string AddCommand(Position p)
    {
        var parts = new List<string> { "/add", p.Venue.Name(), p.Symbol, p.Side == PositionSide.Long ? "long" : "short", Number(p.Quantity), "@", Number(p.Entry) };
        if (p.Leverage is { } lev) parts.Add("x" + Number(lev));
        if (p.MarginMode == MarginMode.Cross) parts.Add("cross");
        if (p.Margin is { } m) parts.AddRange(["margin", Number(m)]);
        if (p.Wallet is { } w) parts.AddRange(["wallet", Number(w)]);
        if (p.Mmr is { } mmr) parts.AddRange(["mmr", Number(mmr * 100) + "%"]);
        if (p.Label is { } label) parts.AddRange(["label", label]);
        return string.Join(' ', parts);
    }

    private static ArgumentError? Apply(Position p, string field, string value)
    {
        switch (field)
        {
            case "qty" or "size" or "quantity":
                if (!PositionArgs.TryNumber(value, "qty", out var qty, out var e1)) return e1;
                p.Quantity = qty;
                return null;
            case "entry" or "price":
                if (!PositionArgs.TryNumber(value, "entry", out var entry, out var e2)) return e2;
                p.Entry = entry;
                return null;
            case "leverage" or "lev":
                if (IsNone(value)) { p.Leverage = null; return null; }
                if (!PositionArgs.TryLeverage(value, out var lev, out var e3)) return e3;
                p.Leverage = lev;
                return null;
            case "side":
                if (!PositionArgs.TrySide(value, out var side, out var e5)) return e5;
                p.Side = side;
                return null;
            case "mode":
                if (!RiskCalculator.TryParseMode(value, out var mode)) return new ArgumentError("mode", $"'{CommandText.Shorten(value)}' is not a margin mode; use isolated or cross");
                if (mode != p.MarginMode)
                {
                    // The other mode's collateral no longer applies.
                    if (mode == MarginMode.Cross) p.Margin = null; else p.Wallet = null;
                }
                p.MarginMode = mode;
                return null;
            case "margin" or "wallet":
                double? amount = null;
                if (!IsNone(value))
                {
                    if (!PositionArgs.TryNumber(value, field, out var a, out var e4)) return e4;
                    amount = a;
                }
                if (field == "margin") p.Margin = amount; else p.Wallet = amount;
                return null;
            case "mmr":
                if (IsNone(value)) { p.Mmr = null; return null; }
                if (!PositionArgs.TryRate(value, "mmr", out var mmr, out var e6)) return e6;
                p.Mmr = mmr;
                return null;
            default:
                return new ArgumentError(CommandText.Shorten(field), "is not a field you can edit; use qty, entry, leverage, side, mode, margin, wallet, mmr or label (venue or symbol: /remove and /add)");
        }
    }

    private static Position Copy(Position p)
    {
        var copy = new Position { Symbol = p.Symbol, Id = p.Id, OwnerId = p.OwnerId, Venue = p.Venue, Contract = p.Contract };
        CopyTerms(p, copy);
        return copy;
    }

    private static void CopyTerms(Position from, Position to)
    {
        to.MarginMode = from.MarginMode;
        to.Side = from.Side;
        to.Quantity = from.Quantity;
        to.Entry = from.Entry;
        to.Leverage = from.Leverage;
        to.Margin = from.Margin;
        to.Wallet = from.Wallet;
        to.Mmr = from.Mmr;
        to.Label = from.Label;
    }

    private static bool IsNone(string value) => value.Equals("none", StringComparison.OrdinalIgnoreCase) || value is "-" or "off";

    /// <summary>Parses <c>3</c> or <c>#3</c>.</summary>
    public static bool TryParseId(string token, out long id) =>
        long.TryParse(token.StartsWith('#') ? token[1..] : token, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static Reply NotFound(string token) =>
        Reply.Text(ReplyTone.Error, $"No position {(token.StartsWith('#') ? "" : "#")}{CommandText.Shorten(token)}. Send /positions to see yours.");

    private static Reply NoPositions(CommandContext c) =>
        Reply.Of(ReplyTone.Info, "You track no positions yet.", new ReplyLine("Add one", CommandCatalog.All.First(s => s.Name == "add").Examples[0]));

    /// <summary>A calculator error in chat terms: field names become the argument names of <c>/add</c>.</summary>
    public static ArgumentError ToArgument(InputError e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var argument = e.Field switch
        {
            "wallet_balance" => "wallet",
            "margin_mode" => "mode",
            "contract" or "contract_size" => "symbol",
            _ => e.Field,
        };
        var problem = e.Problem
            .Replace("pass mmr and maintenance_amount to use your own", "add mmr <rate> (e.g. mmr 0.5%) to use your own", StringComparison.Ordinal)
            .Replace("wallet_balance", "wallet", StringComparison.Ordinal);
        return new ArgumentError(argument, problem);
    }

    private static string Number(double v) => v.ToString("0.##########", CultureInfo.InvariantCulture);
}
