using System.Globalization;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Risk;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Portfolio;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Commands;

/// <summary><c>/stress</c> and <c>/portfolio</c>: the user's positions as accounts, shocked and simulated together.</summary>
public sealed class PortfolioCommands(PortfolioService portfolios, RiskService risk)
{
    /// <summary>The scenario of a bare <c>/stress</c>.</summary>
    public static readonly Scenario DefaultScenario = new BtcMove(-0.10);

    /// <summary>Monte Carlo paths for <c>/portfolio</c>.</summary>
    public const int Paths = 20_000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary><c>/stress [btc|all|&lt;symbol&gt;] &lt;move%&gt; [&lt;symbol&gt; &lt;move%&gt; ...]</c>.</summary>
    public async Task<Reply> StressAsync(CommandContext c, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!TryScenario(c.Command.Tokens, out var scenario, out var problem)) return c.Wrong(problem!);
        var view = await portfolios.BuildAsync(c.Db, c.User.Id, c.Now, cancellationToken);
        if (view.Accounts.Count == 0) return NothingToStress(view);
        var sections = new List<ReplySection>();
        var total = 0.0;
        foreach (var account in view.Accounts)
        {
            var result = PortfolioStress.Run(account.Portfolio, scenario!);
            var (section, change) = StressSection(account, result, scenario!);
            total += change;
            sections.Add(section);
        }
        sections.Add(Notes(view, scenario is BtcMove));
        return new Reply
        {
            Tone = ReplyTone.Info,
            Headline = $"Stress: {scenario!.Label} · {Signed(total)} from now",
            Sections = sections,
        };
    }

    /// <summary><c>/portfolio</c>: each account's margin, exposure, the BTC moves that start liquidations, L-VaR and 24 h hit chances.</summary>
    public async Task<Reply> PortfolioAsync(CommandContext c, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        var view = await portfolios.BuildAsync(c.Db, c.User.Id, c.Now, cancellationToken);
        if (view.Accounts.Count == 0) return NothingToStress(view);
        var sections = new List<ReplySection>();
        foreach (var account in view.Accounts)
            sections.Add(await AccountSectionAsync(c, account, view, cancellationToken));
        sections.Add(Notes(view, betas: true));
        return new Reply { Headline = $"Portfolio: {view.Accounts.Sum(a => a.Positions.Count)} positions on {view.Accounts.Count} venue account{(view.Accounts.Count == 1 ? "" : "s")}", Sections = sections };
    }

    private async Task<ReplySection> AccountSectionAsync(CommandContext c, VenueAccount account, PortfolioView view, CancellationToken cancellationToken)
    {
        var p = account.Portfolio;
        var lines = new List<ReplyLine>();
        var cross = p.Positions.Where(x => x.Terms.Mode == MarginMode.Cross).ToList();
        if (cross.Count > 0)
        {
            var equity = p.CrossWallet + cross.Sum(x => LiquidationEngine.UnrealizedPnl(x.Terms, x.Mark));
            var maintenance = cross.Sum(x => LiquidationEngine.MaintenanceMargin(x.Terms, x.Mark));
            lines.Add(new ReplyLine("Cross", $"wallet {Money(p.CrossWallet)} · equity {Money(equity)} · maintenance {Money(maintenance)} · margin ratio {RiskText.Pct(maintenance / equity)}"));
        }
        var notional = p.Positions.Sum(x => Notional(x));
        lines.Add(new ReplyLine("Exposure", $"{Money(notional)} gross · " + string.Join(" · ",
            p.Positions.GroupBy(x => x.Asset).Select(g => $"{g.Key} {Signed(g.Sum(x => (int)x.Terms.Side * Notional(x)))}"))));
        var down = PortfolioStress.Run(p, new BtcMove(-0.99));
        var up = PortfolioStress.Run(p, new BtcMove(PortfolioStress.UpwardLimit));
        lines.Add(new ReplyLine("First liq.", $"BTC {Move(down.FirstKillMove)} down, {Move(up.FirstKillMove)} up"));
        if (cross.Count > 0) lines.Add(new ReplyLine("Account liq.", $"BTC {Move(down.AccountKillMove)} down, {Move(up.AccountKillMove)} up (the cross wallet is gone for every cross position at once)"));

        // One risk view and one spread history per market, however many positions share it.
        var views = new Dictionary<MarketKey, (SymbolRisk Risk, (double Mean, double Stdev, int Books) Spread)>();
        for (var i = 0; i < p.Positions.Count; i++)
        {
            var x = p.Positions[i];
            var key = account.Keys[i];
            if (!views.TryGetValue(key, out var market))
                views[key] = market = (await risk.AnalyzeAsync(c.Db, key, c.Now, cancellationToken), await PortfolioService.SpreadStatsAsync(c.Db, key, c.Now, cancellationToken));
            var symbolRisk = market.Risk;
            var depth = symbolRisk.DepthFor(x.Terms.Side);
            var sigma = symbolRisk.Volatility;
            if (depth is null || !(sigma > 0))
            {
                lines.Add(new ReplyLine($"L-VaR {x.Id}", "n/a: needs a stored order book and 24 h of candles"));
                continue;
            }
            var (mean, stdev, _) = market.Spread;
            var full = LiquidityRisk.Compute(Notional(x), sigma, 24, 0.99, mean, stdev, depth, 1.0);
            var thin = LiquidityRisk.Compute(Notional(x), sigma, 24, 0.99, mean, stdev, depth, 0.3);
            lines.Add(new ReplyLine($"L-VaR {x.Id}", $"{Money(full.Total)} (book as is) · {Money(thin.Total)} (30% of it left) · 99%, 24 h: VaR {Money(full.VaR)} + spread {Money(full.SpreadCost)} + slippage {Money(full.Slippage)} / {Money(thin.Slippage)}"));
        }

        var model = await PortfolioService.ModelAsync(view.Returns, account, cancellationToken);
        if (model is null)
        {
            lines.Add(new ReplyLine("Hit chance", "n/a: the Monte Carlo needs at least 100 aligned 5-minute returns of every asset here"));
        }
        else
        {
            var mc = PortfolioMonteCarlo.Run(p, model, new MonteCarloSettings { Paths = Paths, HorizonHours = 24, StepMinutes = PortfolioService.BarStep.TotalMinutes, Increments = Increments.Bootstrap, Seed = 20_261_122 });
            var per = string.Join(" · ", p.Positions.Select((x, i) => $"{x.Id} {Chance(mc.PerPosition[i])}"));
            lines.Add(new ReplyLine("Hit chance", $"24 h, {mc.Paths:N0} paths resampling the stored 5-minute moves of all assets together (fat tails and correlation kept): " +
                $"any liquidation {Chance(mc.AnyLiquidation)}{(cross.Count > 0 ? $" · account {Chance(mc.AccountLiquidation)}" : "")} · {per}"));
        }
        return new ReplySection($"{account.Venue.Name()} account", lines);
    }

    // Each position's change from now (what the scenario costs: a liquidated isolated position loses its margin and its
    // current PnL), the cross account's fate, and the account's total change.
    private static (ReplySection Section, double Change) StressSection(VenueAccount account, StressResult result, Scenario scenario)
    {
        var lines = new List<ReplyLine>();
        var change = 0.0;
        var crossNow = 0.0;
        for (var i = 0; i < result.Positions.Count; i++)
        {
            var s = result.Positions[i];
            var p = account.Positions[i];
            var position = account.Portfolio.Positions[i];
            var isolated = position.Terms.Mode == MarginMode.Isolated;
            var before = PortfolioStress.PnlUsd(position.Terms, position.Mark);
            var after = s.Liquidated && isolated ? -s.Loss : s.Pnl;
            if (isolated) change += after - before;
            else crossNow += before;
            var fate = s.Liquidated ? $"LIQUIDATED{(s.Order is { } o ? $" ({Ordinal(o)})" : "")}" : "survives";
            var kill = s.KillMove is { } k ? $"dies at {Kill(scenario, k)}" : "not liquidated by this kind of move";
            lines.Add(new ReplyLine($"{s.Id} {p.Symbol} {p.Side.ToString().ToUpperInvariant()}",
                $"→ {PositionCard.PriceText(account.Reports[i], s.ShockedPrice)} · {fate} · {Signed(after - before)} from now (PnL {Signed(after)}) · {kill}"));
        }
        if (account.Portfolio.Positions.Any(x => x.Terms.Mode == MarginMode.Cross))
        {
            var crossAfter = result.Positions.Where((x, i) => account.Portfolio.Positions[i].Terms.Mode == MarginMode.Cross).Sum(x => x.Pnl);
            change += result.AccountLiquidated ? -(account.Portfolio.CrossWallet + crossNow) : crossAfter - crossNow;
            lines.Add(new ReplyLine("Cross account", result.AccountLiquidated
                ? $"LIQUIDATED at {Kill(scenario, result.AccountKillMove ?? double.NaN)}: the shared wallet ({Money(account.Portfolio.CrossWallet)}) is gone, with every cross position"
                : result.AccountKillMove is { } a ? $"survives; liquidated at {Kill(scenario, a)}" : "survives this kind of move"));
        }
        lines.Add(new ReplyLine("Change", $"{Signed(change)} from now"));
        return (new ReplySection($"{account.Venue.Name()} account", lines), change);
    }

    private static ReplySection Notes(PortfolioView view, bool betas)
    {
        var lines = new List<ReplyLine>();
        if (betas)
        {
            var shown = view.Betas.Where(b => b.Key.Item2 != "BTC")
                .Select(b => $"{b.Key.Item2} {b.Value.Beta.ToString("0.00", Invariant)}{(b.Value.Samples < Betas.MinimumSamples ? " (assumed: too little history)" : $" ({b.Value.Samples} returns)")} on {b.Key.Item1.Name()}");
            lines.Add(new ReplyLine("Betas to BTC", $"5-minute returns {view.BetaFrom.UtcDateTime:yyyy-MM-dd HH:mm} to {view.AsOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC" +
                (shown.Any() ? ": " + string.Join(" · ", shown) : "; every position is BTC")));
        }
        lines.AddRange(view.LeftOut.Select(l => new ReplyLine("Left out", l)));
        lines.Add(new ReplyLine(null, "Marks are the venues' current ones; a liquidated isolated position loses its margin, a cross account its wallet. Fees and slippage are not in the stress: /portfolio shows them as L-VaR."));
        return new ReplySection(null, lines);
    }

    private static Reply NothingToStress(PortfolioView view) => view.LeftOut.Count == 0
        ? Reply.Text(ReplyTone.Info, "You have no positions to stress. Add one: /add binance BTCUSDT long 0.5 @ 60000 x20")
        : Reply.Of(ReplyTone.Warning, "None of your positions can be stressed right now", view.LeftOut.Select(l => new ReplyLine("Left out", l)));

    /// <summary>Parses a scenario: none (BTC −10%), <c>btc -10%</c>, <c>all -5%</c>, or <c>&lt;symbol&gt; &lt;move&gt;</c> pairs.</summary>
    public static bool TryScenario(IReadOnlyList<string> tokens, out Scenario? scenario, out ArgumentError? problem)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        scenario = null;
        problem = null;
        if (tokens.Count == 0)
        {
            scenario = DefaultScenario;
            return true;
        }
        if (tokens.Count % 2 != 0)
        {
            problem = new ArgumentError("scenario", $"'{CommandText.Shorten(string.Join(' ', tokens))}' needs a move after each name, e.g. btc -10%");
            return false;
        }
        var moves = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i += 2)
        {
            var name = tokens[i].ToUpperInvariant();
            if (!TryMove(tokens[i + 1], out var move, out var why))
            {
                problem = new ArgumentError("move", why!);
                return false;
            }
            if (tokens.Count == 2 && name == "ALL")
            {
                scenario = new AllMove(move);
                return true;
            }
            if (!Core.Margin.SymbolName.TryParse(name, out var asset, out _) || !asset.Any(char.IsAsciiLetter))
            {
                problem = new ArgumentError("symbol", $"'{CommandText.Shorten(tokens[i])}' is not btc, all or a symbol");
                return false;
            }
            if (tokens.Count == 2 && asset == "BTC")
            {
                scenario = new BtcMove(move);
                return true;
            }
            moves[asset] = move;
        }
        scenario = new SymbolMoves(moves);
        return true;
    }

    private static bool TryMove(string token, out double move, out string? why)
    {
        why = null;
        var text = token.Replace('−', '-');
        if (!text.EndsWith('%') || !Core.Text.NumberText.TryParseRate(text, out move))
        {
            move = 0;
            why = $"'{CommandText.Shorten(token)}' is not a move; write a percentage, e.g. -10% or +5%";
            return false;
        }
        if (!(move > -1 && move <= PortfolioStress.UpwardLimit) || move == 0)
        {
            why = $"{CommandText.Shorten(token)} is out of range: a move is above -100% and at most +1000%, and not zero";
            return false;
        }
        return true;
    }

    private static double Notional(PortfolioPosition x) =>
        Math.Abs(MaintenanceSchedule.Notional(x.Terms.Contract, x.Terms.Quantity, x.Terms.ContractSize, x.Mark) * (x.Terms.Contract == ContractType.Inverse ? x.Mark : 1));

    // How the kill point is said: the BTC or common move, or for per-symbol moves the multiple of the scenario.
    private static string Kill(Scenario s, double driver) => s switch
    {
        BtcMove => $"BTC {RiskText.Pct(driver, 1)}",
        AllMove => $"all {RiskText.Pct(driver, 1)}",
        _ => $"{driver.ToString("0.##", Invariant)}× these moves",
    };
    private static string Move(double? move) => move is { } m ? RiskText.Pct(m, 1) : "none (searched to −99% / +1000%)";
    private static string Money(double amount) => double.IsFinite(amount) ? "$" + amount.ToString("N0", Invariant) : "n/a";
    private static string Signed(double amount) => (amount >= 0 ? "+" : "−") + Money(Math.Abs(amount));
    private static string Chance(double p) => p < 0.001 ? "<0.1%" : RiskText.Pct(p, 1);
    private static string Ordinal(int n) => n switch { 1 => "1st", 2 => "2nd", 3 => "3rd", _ => $"{n}th" };
}
