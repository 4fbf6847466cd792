using System.Globalization;
using System.Text;
using PerpGuard.Bot.Chat;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Rounding;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Rendering;

/// <summary>What the card says where an input is missing: the CLI asks for a flag, chat explains why it is n/a.</summary>
/// <param name="NoMark">Distance line when no mark price is known (null: no line).</param>
/// <param name="NoFunding">Funding line when no funding rate is known (null: no line).</param>
/// <param name="NoHitChance">Hit-chance line when no volatility is known (null: no line).</param>
internal sealed record CardHints(string? NoMark, string? NoFunding, string? NoHitChance)
{
    /// <summary><c>perpguard calc</c>: point at the flag.</summary>
    public static CardHints Cli { get; } = new("give --mark for distance and margin ratio", null, null);
}

/// <summary>
/// The readable position card of <c>perpguard calc</c> and chat's <c>/risk</c>. Prices are rounded to the venue tick the
/// way that never flatters the position (a long's liquidation price up, a short's down); the exact value is shown beside.
/// </summary>
internal static class PositionCard
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The card as aligned plain text, headline first (the console's rendering of a reply).</summary>
    public static string Render(CalcReport r) =>
        PlainTextReply.Render(new Reply { Headline = Headline(r), Sections = [new ReplySection(null, Lines(r, CardHints.Cli))] });

    /// <summary><c>bybit BTCUSDT · linear · isolated · LONG 0.5 @ 60,000.0 · 20x</c>.</summary>
    public static string Headline(CalcReport r)
    {
        var t = r.Terms;
        var symbol = r.Symbol ?? "(no symbol)";
        var leverage = r.InitialMargin is null ? "" : $" · {Compact(t.Leverage)}x";
        var qtyUnit = t.Contract == ContractType.Inverse ? " contracts" : "";
        return string.Create(Invariant, $"{t.Venue.Name()} {symbol} · {Lower(t.Contract)} · {Lower(t.Mode)} · {t.Side.ToString().ToUpperInvariant()} {Compact(t.Quantity)}{qtyUnit} @ {Price(r, t.Entry, TickRounding.Nearest)}{leverage}");
    }

    /// <summary>The liquidation price rounded to the tick against the position, with its currency; null when there is none.</summary>
    public static string? LiquidationShort(CalcReport r) =>
        r.Liquidation.Value is { } price ? $"{Num(r.Tick.Round(price, TickSize.Conservative(r.Terms.Side)), Decimals(r, price))} {Quote(r)}" : null;

    /// <summary>The card's labelled lines (a continuation line has an empty label).</summary>
    public static List<ReplyLine> Lines(CalcReport r, CardHints hints)
    {
        var t = r.Terms;
        var sb = new List<ReplyLine>();
        var rounding = TickSize.Conservative(t.Side);
        Line(sb, "Liquidation", Level(r, r.Liquidation, rounding, "none: this position cannot be liquidated (its collateral covers any move)"));
        Line(sb, "Bankruptcy", Level(r, r.Bankruptcy, rounding, "none: equity never reaches zero"));

        var margins = new StringBuilder();
        if (r.InitialMargin is { } im) margins.Append(Invariant, $"initial {Money(im, r.Settle)} · ");
        margins.Append(Invariant, $"maintenance {Money(r.MaintenanceMargin, r.Settle)} at {(r.Mark is null ? "entry" : "mark")}");
        if (r.MarginRatio is { } ratio) margins.Append(Invariant, $" · margin ratio {Percent(ratio)}{(ratio >= 1 ? " (liquidation level reached)" : "")}");
        if (t.Mode == MarginMode.Cross) margins.Append(Invariant, $" · wallet {Money(t.Collateral, r.Settle)}");
        else margins.Append(Invariant, $" · isolated margin {Money(t.Collateral, r.Settle)}");
        Line(sb, "Margin", margins.ToString());

        Line(sb, "Bracket", Bracket(r));

        if (r.Distance is { } d && r.DistancePrice is { } dp)
            Line(sb, "Distance", $"{Percent(d)} · {Num(dp, Decimals(r, dp))} from mark {Price(r, r.Mark!.Value, TickRounding.Nearest)} to liquidation{(d <= 0 ? " (at or past liquidation)" : "")}");
        else if (r.Mark is null && r.Liquidation.Value is not null && hints.NoMark is not null)
            Line(sb, "Distance", hints.NoMark);

        if (r.Funding is { } f)
        {
            var verb = f.PerInterval >= 0 ? "you pay" : "you receive";
            Line(sb, "Funding", string.Create(Invariant,
                $"{Percent(f.Rate, 4, signed: true)} per {Compact(f.IntervalHours)}h: {verb} {Money(Math.Abs(f.PerInterval), r.Settle)} per settlement, " +
                $"{Money(Math.Abs(f.PerDay), r.Settle)}/day, {Money(Math.Abs(f.OverHorizon), r.Settle)} over {Compact(f.HorizonHours)}h " +
                $"({Percent(Math.Abs(f.ShareOfMarginOverHorizon))} of margin) · {Percent(f.AnnualizedRate, 2, signed: true)}/yr (estimate at the current rate)"));
            if (r.LiquidationAfterFunding is { } after)
            {
                var n = (int)Math.Floor(f.HorizonHours / f.IntervalHours);
                var until = r.IntervalsToLiquidationByFunding is { } k ? $"funding alone liquidates after {k} settlements" : "funding never liquidates it at this rate";
                Line(sb, "", $"after {n} settlements liquidation is {Level(r, after, rounding, "none")} · {until}");
            }
        }
        else if (hints.NoFunding is not null)
        {
            Line(sb, "Funding", hints.NoFunding);
        }

        if (r.HitProbability is { } p)
        {
            var bars = r.HitProbabilityHourlyBars is { } pb ? $" · {Percent(pb)} if checked on 1h candles" : "";
            Line(sb, "Hit chance", $"{Percent(p)} within {Compact(r.HorizonHours!.Value)}h at {Percent(r.Volatility!.Value, 0)} annual vol (GBM, continuous){bars}{(r.Mark is null ? "; from entry, give --mark" : "")}");
        }
        else if (hints.NoHitChance is not null)
        {
            Line(sb, "Hit chance", hints.NoHitChance);
        }
        return sb;
    }

    /// <summary>
    /// The /risk extras: the venue's partial-liquidation ladder when it differs from one full liquidation (which share
    /// goes at which price, and what is left), and for a winning position its auto-deleveraging rank, an estimate.
    /// </summary>
    public static List<ReplyLine> LadderAndAdl(CalcReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var lines = new List<ReplyLine>();
        var ladder = Core.Ladders.PartialLiquidation.For(r.Terms);
        if (ladder.Steps.Count > 0 && !ladder.IsSingleFull)
        {
            var rounding = TickSize.Conservative(r.Terms.Side);
            foreach (var (step, i) in ladder.Steps.Select((s, i) => (s, i)))
                Line(lines, i == 0 ? "Ladder" : "", $"{Price(r, step.Price, rounding)}: closes {Percent(step.ShareClosed, 0)} ({Compact(step.QuantityClosed)}), " +
                    $"{(step.QuantityLeft > 0 ? $"{Compact(step.QuantityLeft)} left" : "nothing left")} · {step.What}");
        }
        if (r.Mark is { } mark && Core.Ladders.AutoDeleveraging.Estimate(r.Terms, mark) is { Profitable: true } adl)
            Line(lines, "ADL (est.)", string.Create(Invariant,
                $"~{adl.Quantile}/5 · PnL {Percent(adl.PnlShare, 0)} of margin × {adl.EffectiveLeverage:0.0}x effective leverage = score {adl.Score:0.0}; from public inputs, the venue's queue is not public"));
        return lines;
    }

    private static string Bracket(CalcReport r)
    {
        var tier = r.Tier;
        var amount = tier.MaintenanceAmount == 0 ? "" : $" · amount {Compact(tier.MaintenanceAmount)}";
        if (r.Table is null)
            return $"custom: MMR {Percent(tier.MaintenanceRate, 3)}{amount}";
        var index = r.Table.Tiers.IndexOf(tier) + 1;
        var unit = r.Table.Basis == Core.Margin.TierBasis.Contracts ? "contracts" : r.Settle;
        var cap = tier.Cap >= 1e15 ? "and above" : $"– {Compact(tier.Cap)}";
        return $"{index} of {r.Table.Tiers.Length} ({Compact(tier.Floor)} {cap} {unit}, at the liquidation price) · MMR {Percent(tier.MaintenanceRate, 3)}{amount} · max {Compact(tier.MaxLeverage)}x · tiers taken {r.Table.Taken:yyyy-MM-dd}";
    }

    private static string Level(CalcReport r, PriceLevel level, TickRounding rounding, string none)
    {
        if (level.Value is not { } price) return none;
        var rounded = r.Tick.Round(price, rounding);
        var shown = $"{Num(rounded, Decimals(r, price))} {Quote(r)}";
        return rounded == price ? shown : $"{shown} (exact {Num(price, 6)}, rounded {(rounded > price ? "up" : "down")} to the {r.Tick.Value.ToString(Invariant)} tick)";
    }

    private static string Price(CalcReport r, double price, TickRounding rounding) =>
        Num(r.Tick.Round(price, rounding), Decimals(r, price));

    private static int Decimals(CalcReport r, double price)
    {
        if (r.Tick.Value != 0) return r.Tick.Value.Scale;
        var abs = Math.Abs(price);
        return abs >= 1000 ? 2 : abs >= 1 ? 4 : 8;
    }

    private static string Money(double amount, string settle)
    {
        var stable = settle is "USDT" or "USDC" or "USD" or "quote";
        return $"{Num(amount, stable ? 2 : 8)} {settle}";
    }

    private static string Percent(double fraction, int decimals = 2, bool signed = false) =>
        (signed && fraction > 0 ? "+" : "") + (fraction * 100).ToString("N" + decimals, Invariant) + "%";

    private static string Num(double value, int decimals)
    {
        var text = value.ToString("N" + decimals, Invariant);
        return text.Contains('.', StringComparison.Ordinal) && decimals > 2 ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    private static string Compact(double value) => value.ToString("#,##0.########", Invariant);

    // Prices are quoted in USD for inverse contracts, in the settle currency for linear ones.
    private static string Quote(CalcReport r) => r.Terms.Contract == ContractType.Inverse ? "USD" : r.Settle;

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static void Line(List<ReplyLine> lines, string label, string text) => lines.Add(new ReplyLine(label, text));

    /// <summary>A price with thousands separators at the symbol's tick precision.</summary>
    public static string PriceText(CalcReport r, double price) => Price(r, price, TickRounding.Nearest);

    /// <summary>A fraction as a percentage, <c>4.52%</c>.</summary>
    public static string PercentText(double fraction) => Percent(fraction);
}
