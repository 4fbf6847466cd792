using System.Globalization;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Commands;
using PerpGuard.Core.Alerts;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Market;
using PerpGuard.Core.Rules;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Rendering;

/// <summary>Everything one alert message says, gathered by the engine at decision time.</summary>
public sealed record AlertFacts
{
    /// <summary>The alert's id (for /snooze).</summary>
    public required long AlertId { get; init; }
    /// <summary>The decision.</summary>
    public required AlertFiring Firing { get; init; }
    /// <summary>The user.</summary>
    public required BookUser User { get; init; }
    /// <summary>The symbol.</summary>
    public required MarketKey Key { get; init; }
    /// <summary>The symbol's signal at decision time.</summary>
    public required SymbolSignal Signal { get; init; }
    /// <summary>Position index within the user, or −1.</summary>
    public int Position { get; init; } = -1;
    /// <summary>Text of the cascade zone (cascade alerts).</summary>
    public string? Zone { get; init; }
    /// <summary>The rule and its evaluation (rule alerts).</summary>
    public (RuleDefinition Rule, RuleResult Result)? Rule { get; init; }
    /// <summary>The venues' prices (divergence alerts).</summary>
    public DivergenceReading? Divergence { get; init; }
    /// <summary>The divergence threshold (for "clears when").</summary>
    public double DivergenceThreshold { get; init; }
    /// <summary>Hysteresis of the policy (for "clears when").</summary>
    public double Hysteresis { get; init; }
    /// <summary>When it was decided.</summary>
    public required DateTimeOffset Now { get; init; }
}

/// <summary>
/// Alert messages: severity first (visible at a glance), what happened with the numbers behind it, what clears it,
/// and the actions (snooze, mute the symbol, the risk card) as buttons and as commands for channels without buttons.
/// Each fits in one Telegram message (4,096) and one Discord embed (4,096 description) by construction.
/// </summary>
public static class AlertText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The severity badge.</summary>
    public static string Badge(AlertSeverity severity) => Badges[severity switch
    {
        AlertSeverity.Critical => 0,
        AlertSeverity.High => 1,
        AlertSeverity.Warning => 2,
        _ => 3,
    }];

    /// <summary>Every severity badge, most severe first.</summary>
    public static IReadOnlyList<string> Badges { get; } = ["🔴 CRITICAL", "🟠 HIGH", "🟡 WARNING", "🔵 INFO"];

    /// <summary>The message and its one-line summary.</summary>
    public static (Reply Message, string Summary) Render(AlertFacts f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var (headline, lines) = f.Firing.Kind switch
        {
            AlertKind.Distance => Distance(f),
            AlertKind.HitChance => HitChance(f),
            AlertKind.Cascade => Cascade(f),
            AlertKind.Funding => Funding(f),
            AlertKind.FundingFlip => FundingFlip(f),
            AlertKind.Rule => Rule(f),
            AlertKind.Divergence => Divergence(f),
            AlertKind.Adl => Adl(f),
            _ => Stale(f),
        };
        if (f.Firing.Step == AlertStep.Reminder) headline += " (reminder)";
        var badge = Badge(f.Firing.Severity);
        var asset = AlertBook.AssetOf(f.Key.Symbol);
        var buttons = new List<ReplyButton>
        {
            new("Snooze 1h", $"/snooze {f.AlertId} 1h"),
            new("Snooze 24h", $"/snooze {f.AlertId} 24h"),
            new($"Mute {asset}", $"/mute {asset} 24h"),
        };
        if (f.Position >= 0) buttons.Add(new ReplyButton("Show risk", $"/risk {f.User.Positions[f.Position].Id}"));
        lines.Add(new ReplyLine("Alert", $"{f.AlertId} · {UserTime.Format(f.Now, f.User.User.TimeZone, f.Now)}"));
        lines.Add(new ReplyLine("Actions", string.Join(" · ", buttons.Select(b => b.Command))));
        var reply = new Reply
        {
            Tone = f.Firing.Severity == AlertSeverity.Info ? ReplyTone.Info : ReplyTone.Warning,
            Headline = $"{badge} · {headline}",
            Sections = [new ReplySection(null, lines)],
            Buttons = buttons,
        };
        return (reply, CommandText.Shorten($"{badge} {headline}", Storage.AlertRecord.MaxSummaryLength));
    }

    private static (string, List<ReplyLine>) Distance(AlertFacts f)
    {
        var (p, report, mark) = Position(f);
        var liq = report?.Liquidation.Value ?? double.NaN;
        var distance = f.Firing.Value;
        var levels = f.User.Core.Thresholds.Levels;
        var level = f.Firing.After.Level;
        if (level > levels.Length)
        {
            return ($"{Name(f, p)}: mark {Price(mark)} crossed the liquidation price {Price(liq)}; the venue has likely closed it",
            [
                new("Price", $"mark {Price(mark)} · liquidation {Price(liq)} · entry {Price(p.Entry)}"),
                new("Next", $"no more alerts for #{p.Id} until you change it: /edit {p.Id} ... if it is still open (its alerts start over), /remove {p.Id} if it is gone"),
            ]);
        }
        var head = $"{Name(f, p)}: {Near(distance)} from liquidation";
        var lines = new List<ReplyLine>
        {
            new("Price", $"mark {Price(mark)} · liquidation {Price(liq)} · entry {Price(p.Entry)}"),
            new("Level", $"inside your {Pct(levels[level - 1], 0)} level (levels {string.Join(" ", levels.Select(l => Pct(l, 0)))}; /settings alert_levels)"),
        };
        if (f.Signal.Volatility is > 0 and var sigma && double.IsFinite(sigma))
        {
            var chance = Core.Probability.HitProbability.Continuous(mark, liq, sigma, Core.Probability.HitProbability.Years(24));
            lines.Add(new ReplyLine("Hit chance", $"{Chance(chance)} within 24h at {Pct(sigma, 0)} realized volatility"));
        }
        var clear = Escalation.DistanceRearm(levels[level - 1], f.Hysteresis);
        var clearPrice = p.Side == PositionSide.Long ? liq / (1 - clear) : liq / (1 + clear);
        lines.Add(new ReplyLine("Clears when", $"distance back above {Pct(clear)} (mark {(p.Side == PositionSide.Long ? "≥" : "≤")} {Price(clearPrice)}); reduce size or add margin to move the liquidation price"));
        return (head, lines);
    }

    private static (string, List<ReplyLine>) HitChance(AlertFacts f)
    {
        var (p, report, mark) = Position(f);
        var liq = report?.Liquidation.Value ?? double.NaN;
        var threshold = f.User.Core.Thresholds.HitChance;
        return ($"{Name(f, p)}: {Pct(f.Firing.Value, 0)} chance of touching liquidation within 24h",
        [
            new("Price", $"mark {Price(mark)} · liquidation {Price(liq)} ({Pct(Math.Abs(mark - liq) / mark)} away)"),
            new("Model", $"{Pct(f.Signal.Volatility, 0)} realized volatility (5-minute closes), no drift; your threshold {Pct(threshold, 0)} (/settings hit_chance)"),
            new("Clears when", $"the chance falls below {Pct(Escalation.ThresholdRearm(threshold, f.Hysteresis))}"),
        ]);
    }

    private static (string, List<ReplyLine>) Cascade(AlertFacts f)
    {
        var (p, report, mark) = Position(f);
        var liq = report?.Liquidation.Value ?? double.NaN;
        var critical = f.Firing.After.Level >= 2;
        return ($"{Name(f, p)}: liquidation {(critical ? "inside a cluster with CRITICAL stressed coverage" : "in a likely cascade path")}",
        [
            new("Price", $"mark {Price(mark)} · liquidation {Price(liq)} ({Pct(Math.Abs(mark - liq) / mark)} away)"),
            new("Cascade", f.Zone ?? "n/a"),
            new("Note", "estimated from candles, open interest and the book at 30% surviving depth: context, not a forecast"),
            new("Clears when", "the liquidation price is 0.5% outside every such zone, or the coverage drops below high"),
        ]);
    }

    private static (string, List<ReplyLine>) Funding(AlertFacts f)
    {
        var (p, report, mark) = Position(f);
        var settle = report?.Settle ?? "USD";
        var payment = f.User.Core.Positions[f.Position].FundingPayment(mark, f.Signal.FundingRate) * f.Signal.FundingPeriodsPerDay;
        var share = f.User.Core.Thresholds.FundingShare;
        return ($"{Name(f, p)}: funding over 24h ≈ {Pct(f.Firing.Value)} of margin",
        [
            new("Funding", $"{Rate(f.Signal.FundingRate)} per period, {f.Signal.FundingPeriodsPerDay.ToString("0.#", Invariant)} periods a day: about {Amount(payment)} {settle} in 24h at mark {Price(mark)} (an estimate at the current rate)"),
            new("Clears when", $"projected funding below {Pct(Escalation.ThresholdRearm(share, f.Hysteresis))} of margin (your threshold {Pct(share, 0)}; /settings funding_share)"),
        ]);
    }

    private static (string, List<ReplyLine>) FundingFlip(AlertFacts f)
    {
        var (p, _, _) = Position(f);
        var payer = p.Side == PositionSide.Long ? "longs" : "shorts";
        return ($"{Name(f, p)}: funding turned against you, {payer} now pay",
        [
            new("Funding", $"{Rate(f.Signal.FundingRate)} per period (it was paying you)"),
            new("Clears when", "funding turns back in your favour"),
        ]);
    }

    private static (string, List<ReplyLine>) Rule(AlertFacts f)
    {
        var (rule, result) = f.Rule!.Value;
        var lines = new List<ReplyLine> { new("Rule", rule.Describe()) };
        if (result.Evidence.Count > 0) lines.Add(new ReplyLine("Evidence", string.Join(" · ", result.Evidence.Select(RiskCommands.Evidence))));
        lines.Add(new ReplyLine("Severity", result.Severity.ToString("0.00", Invariant)));
        lines.Add(new ReplyLine("Re-arms", $"when the rule's re-arm condition holds; cooldown {UserTime.Duration(rule.CooldownTime)}"));
        return ($"{RuleKinds.Code(rule.Kind)} fired on {f.Key.Venue.Name()} {f.Key.Symbol}", lines);
    }

    private static (string, List<ReplyLine>) Stale(AlertFacts f)
    {
        var recovered = f.Firing.Step == AlertStep.Recovered;
        return recovered
            ? ($"{f.Key.Venue.Name()} {f.Key.Symbol}: market data is fresh again; alerts for it resume", [new("Mark", Price(f.Signal.Mark))])
            : ($"{f.Key.Venue.Name()} {f.Key.Symbol}: market data is stale; alerts for it are paused until it recovers",
                [new("Why", "no fresh price from the venue; /status shows each feed's age and the last error")]);
    }

    private static (string, List<ReplyLine>) Adl(AlertFacts f)
    {
        var (p, report, mark) = Position(f);
        var lines = new List<ReplyLine>
        {
            new("Price", $"mark {Price(mark)} · entry {Price(p.Entry)}"),
        };
        if (report is not null)
        {
            var estimate = Core.Ladders.AutoDeleveraging.Estimate(report.Terms, mark);
            lines.Add(new ReplyLine("ADL rank", $"~{estimate.Quantile}/5 (estimate): PnL {Pct(estimate.PnlShare, 0)} of margin × effective leverage {estimate.EffectiveLeverage:0.0}x = score {estimate.Score:0.0}"));
        }
        lines.Add(new ReplyLine("Why", $"the {(p.Side == Core.Venues.PositionSide.Long ? "shorts' liquidations above" : "longs' liquidations below")} price can run into the insurance fund; the venue then closes the highest-ranked winners (auto-deleveraging) at the bankruptcy price of the losers"));
        lines.Add(new ReplyLine("Estimate", "from public inputs only (your PnL and leverage, the estimated cluster map); the venue's real queue is not public"));
        lines.Add(new ReplyLine("Lower it", "take some profit or add margin: both lower the score"));
        return ($"{Name(f, p)}: high auto-deleveraging rank while a cascade on the other side is likely", lines);
    }

    private static (string, List<ReplyLine>) Divergence(AlertFacts f)
    {
        var asset = AlertBook.AssetOf(f.Key.Symbol);
        var r = f.Divergence;
        var lines = new List<ReplyLine>();
        if (r is not null)
        {
            lines.AddRange(r.Prices.Select(p => new ReplyLine(p.Venue.Name(), $"mark {Price(p.Mark)}{(double.IsFinite(p.Index) ? $" · index {Price(p.Index)}" : "")}")));
        }
        if (f.Firing.Step == AlertStep.Recovered)
            return ($"{asset}: venues back in line, spread {Pct(f.Firing.Value, 2)}", lines);
        var rearm = Escalation.ThresholdRearm(f.DivergenceThreshold, f.Hysteresis);
        var head = r is null
            ? $"{asset}: venues diverge by {Pct(f.Firing.Value, 2)}"
            : $"{asset}: {r.High.Venue.Name()} {Price(r.High.Mark)} vs {r.Low.Venue.Name()} {Price(r.Low.Mark)}, {Pct(r.Spread, 2)} apart";
        lines.Add(new ReplyLine("Why it matters", "a venue drifting away is where cascades and bad fills start: its liquidations run on its own mark, and exits there cost the gap"));
        lines.Add(new ReplyLine("Clears when", $"the spread is back under {Pct(rearm, 2)}"));
        return (head, lines);
    }

    private static (Storage.Position, CalcReport?, double) Position(AlertFacts f) =>
        (f.User.Positions[f.Position], f.User.Reports[f.Position], f.Signal.Mark);

    private static string Name(AlertFacts f, Storage.Position p) =>
        $"#{p.Id} {p.Venue.Name()} {p.Symbol} {p.Side.ToString().ToUpperInvariant()}{(p.Label is null ? "" : $" “{p.Label}”")}";

    private static string Price(double price) => double.IsFinite(price) ? RiskText.PriceText(price) : "n/a";
    private static string Pct(double fraction, int decimals = 1) => double.IsFinite(fraction) ? RiskText.Pct(fraction, decimals) : "n/a";
    private static string Rate(double rate) => (rate * 100).ToString("+0.0000##;−0.0000##", Invariant) + "%";
    private static string Near(double distance) => Pct(distance, distance < 0.01 ? 2 : 1);
    private static string Chance(double p) => p < 0.01 ? "<1%" : p > 0.99 ? ">99%" : Pct(p, 0);
    private static string Amount(double amount) => amount.ToString(Math.Abs(amount) >= 100 ? "+#,##0;−#,##0" : "+0.00##;−0.00##", Invariant);
}
