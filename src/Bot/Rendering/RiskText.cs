using System.Globalization;
using System.Text;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Risk;
using PerpGuard.Core.Cascade;
using PerpGuard.Core.Clusters;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Rendering;

/// <summary>A user's liquidation price to mark on the ladder.</summary>
/// <param name="Id">Position id (<c>#3</c>).</param>
/// <param name="Side">Long or short.</param>
/// <param name="Price">Liquidation price.</param>
public readonly record struct LiquidationMark(long Id, PositionSide Side, double Price);

/// <summary>
/// Text of the cluster and cascade views: the lines <c>/risk</c> adds to a position card and the monospace ladder of
/// <c>/clusters</c>, written to read in a chat window 40 characters wide.
/// </summary>
public static class RiskText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Width of every ladder line.</summary>
    public const int LadderWidth = 38;

    /// <summary>The lines <c>/risk</c> adds for one position: clusters, cascade label, trigger cost, and the cascade-adjusted hit chance.</summary>
    public static List<ReplyLine> PositionLines(SymbolRisk r, PositionSide side, double? liquidation, TimeSpan horizon)
    {
        ArgumentNullException.ThrowIfNull(r);
        var lines = new List<ReplyLine>();
        if (r.Price is not { } price)
        {
            lines.Add(new ReplyLine("Clusters", r.PriceGap ?? "n/a"));
            return lines;
        }
        if (r.Map is not { } map)
        {
            lines.Add(new ReplyLine("Clusters", $"n/a: {r.MapGap}"));
            return lines;
        }
        lines.Add(new ReplyLine("Clusters", $"{Nearest(map, PositionSide.Long, price)} · {Nearest(map, PositionSide.Short, price)}"));
        if (liquidation is { } lp) lines.Add(new ReplyLine("Your liq", Placement(map, side, lp, price)));

        if (r.ScoreFor(side) is not { } score)
        {
            lines.Add(new ReplyLine("Cascade", $"n/a: {r.DepthGap ?? "no depth"}"));
        }
        else
        {
            lines.Add(new ReplyLine("Cascade", Label(score, side, r.StressSurvival)));
            lines.Add(new ReplyLine("Trigger", Trigger(score, side)));
        }
        if (liquidation is { } liq && r.Assess(side, liq, horizon) is { } cascade)
        {
            lines.Add(new ReplyLine("Cascade path", cascade.ChainReachesLiquidation
                ? $"the cheapest chain runs through your liquidation: a {Usd(cascade.ShockUsd)} {(side == PositionSide.Long ? "sell" : "buy")} shock{ShareText(cascade.ShockShareOfTakerVolume)} sets it off"
                : double.IsFinite(cascade.ShockUsd)
                    ? $"the cheapest chain stops short of your liquidation; it takes a {Usd(cascade.ShockUsd)} shock{ShareText(cascade.ShockShareOfTakerVolume)}"
                    : "no simulated chain reaches your liquidation within the book's range"));
            var critical = double.IsFinite(cascade.ProbabilityReachCriticalCluster)
                ? $"; P(reach critical cluster at {Signed(side, cascade.CriticalClusterEdgeDistance)}) {Pct(cascade.ProbabilityReachCriticalCluster)}"
                : "";
            lines.Add(new ReplyLine("Hit+cascade", $"{Pct(cascade.AdjustedProbability)} within {horizon.TotalHours:0.#}h (GBM base {Pct(cascade.BaseProbability)} at {Pct(r.Volatility, 0)} vol{critical})"));
        }
        lines.Add(new ReplyLine("Map", MapNote(r)));
        return lines;
    }

    /// <summary>What the map is: an estimate, from how many candles, with which parameters; and that no realized prints are connected.</summary>
    public static string MapNote(SymbolRisk r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Map is not { } map) return $"n/a: {r.MapGap}";
        var span = r.MapBars * 5 / 60.0;
        return $"{map.Parameters}; {r.MapBars} candles (~{span:0.#}h); depth: {r.DepthSource ?? r.DepthGap}; realized liquidations: no feed connected (venues publish them on WebSocket only, throttled)";
    }

    /// <summary>
    /// The monospace ladder: <paramref name="rows"/> bands above and below the mark, each with its estimated USD
    /// notional as a bar (short liquidations above the price, long below), the mark, and the user's liquidation prices.
    /// </summary>
    public static List<string> Ladder(SymbolRisk r, IReadOnlyList<LiquidationMark> marks, int rows = 8)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(marks);
        var lines = new List<string>();
        if (r.Price is not { } price || r.Map is not { } map) return lines;
        // Span: 5% each way, widened to show a liquidation price up to 15% away.
        var span = 0.05;
        foreach (var m in marks)
        {
            var d = Math.Abs(m.Price / price - 1);
            if (d > span && d <= 0.15) span = Math.Ceiling(d * 100 + 0.5) / 100;
        }
        var step = span / rows;
        var above = new double[rows];
        var below = new double[rows];
        foreach (var bin in map.Bins)
        {
            var mid = (bin.PriceLow + bin.PriceHigh) / 2;
            var u = mid / price - 1;
            if (u > 0 && u <= span) above[Math.Min(rows - 1, (int)(u / step))] += bin.ShortUsd;
            else if (u < 0 && -u <= span) below[Math.Min(rows - 1, (int)(-u / step))] += bin.LongUsd;
        }
        var max = Math.Max(above.Max(), below.Max());
        lines.Add(Fit($"{"price",9} {"est. $",6}  short liq ▲"));
        for (var i = rows - 1; i >= 0; i--)
            lines.Add(Row(price * (1 + step * (i + 1)), above[i], max, MarksIn(marks, price * (1 + step * i), price * (1 + step * (i + 1)))));
        lines.Add(Fit($"▶{PriceText(price),8} ── mark ──"));
        for (var i = 0; i < rows; i++)
            lines.Add(Row(price * (1 - step * (i + 1)), below[i], max, MarksIn(marks, price * (1 - step * (i + 1)), price * (1 - step * i))));
        lines.Add(Fit($"{"",9} {"",6}  long liq ▼"));
        foreach (var m in marks)
        {
            var d = m.Price / price - 1;
            if (Math.Abs(d) > span) lines.Add(Fit($"#{m.Id} liq {PriceText(m.Price)} ({d:+0.0%;-0.0%}) off the ladder"));
        }
        return lines;
    }

    private static string Row(double edge, double usd, double max, string marks)
    {
        const int barWidth = 12;
        var bar = max > 0 && usd > 0 ? new string('█', Math.Max(1, (int)Math.Round(usd / max * barWidth))) : "";
        var text = $"{PriceText(edge),9} {(usd > 0 ? Usd(usd) : "·"),6} {bar}";
        if (marks.Length > 0) text = $"{text.PadRight(9 + 1 + 6 + 1 + barWidth)}{marks}";
        return Fit(text);
    }

    private static string MarksIn(IReadOnlyList<LiquidationMark> marks, double low, double high)
    {
        var sb = new StringBuilder();
        foreach (var m in marks)
            if (m.Price >= low && m.Price < high) sb.Append(sb.Length == 0 ? "◀" : "").Append('#').Append(m.Id.ToString(Invariant)).Append(' ');
        return sb.ToString().TrimEnd();
    }

    private static string Fit(string line) => line.Length <= LadderWidth ? line.TrimEnd() : line[..LadderWidth];

    private static string Nearest(MapSnapshot map, PositionSide side, double price)
    {
        var name = side == PositionSide.Long ? "long" : "short";
        return map.Nearest(side) is { } c
            ? $"{name} {Usd(c.CalibratedUsd)} at {PriceText(c.PricePeak)} ({c.DistancePct:+0.0%;-0.0%})"
            : $"no {name} cluster within {map.Bins.Count / 2 * map.BinWidth / price:0%}";
    }

    private static string Placement(MapSnapshot map, PositionSide side, double liquidation, double price)
    {
        var place = map.Place(side, liquidation);
        var where = side == PositionSide.Long ? "below" : "above";
        var between = place.Between.Count == 0
            ? "no cluster between price and it"
            : $"{place.Between.Count} cluster{(place.Between.Count == 1 ? "" : "s")} ({Usd(place.Between.Sum(c => c.CalibratedUsd))}) between price and it";
        var inside = place.Containing is { } c ? $"; it sits inside a {Usd(c.CalibratedUsd)} cluster" : "";
        var beyond = place.Beyond is { } b ? $"; next {where} it: {Usd(b.CalibratedUsd)} at {PriceText(b.PricePeak)}" : "";
        return $"{PriceText(liquidation)} ({liquidation / price - 1:+0.0%;-0.0%}): {between}{inside}{beyond}";
    }

    private static string Label(CascadeScore s, PositionSide side, double survival)
    {
        var direction = side == PositionSide.Long ? "downside" : "upside";
        var band = s.AtNearestCluster ?? s.Bands.MaxBy(b => b.StressedCoverage);
        var label = s.Label.ToString().ToUpperInvariant();
        return band is { } b
            ? $"{label} {direction}: stressed coverage {b.StressedCoverage:0.00} within {b.Band:0.#%} ({Usd(b.ForcedUsd)} forced vs {Usd(b.DepthUsd)} book, {survival:0%} surviving){(s.Extrapolated ? "; beyond the book's reach it is extrapolated" : "")}"
            : $"{label} {direction}";
    }

    private static string Trigger(CascadeScore s, PositionSide side)
    {
        if (!double.IsFinite(s.TriggerCostUsd)) return "no chain reaches the nearest cluster within the modelled range";
        var verb = side == PositionSide.Long ? "selling" : "buying";
        var sign = side == PositionSide.Long ? "−" : "+";
        return $"{Usd(s.TriggerCostUsd)} of {verb}{ShareText(s.TriggerShareOfTakerVolume)} starts a chain reaching {sign}{s.Reach:0.0%} (×{s.Amplification:0.0}){(s.Chain.Exhausted ? ", book exhausted" : "")}";
    }

    private static string ShareText(double share) => double.IsFinite(share) ? $" ({share:0%} of the last hour's volume)" : "";

    private static string Signed(PositionSide side, double distance) => (side == PositionSide.Long ? "−" : "+") + distance.ToString("0.0%", Invariant);

    /// <summary>A percentage with the given decimals.</summary>
    public static string Pct(double fraction, int decimals = 1) => (fraction * 100).ToString("N" + decimals, Invariant) + "%";

    /// <summary><c>$1.2B</c>, <c>$42M</c>, <c>$950k</c>, <c>$120</c>.</summary>
    public static string Usd(double usd) => usd < 0 ? "−" + Usd(-usd) : usd switch
    {
        >= 9.95e8 => "$" + (usd / 1e9).ToString(usd >= 1e10 ? "0" : "0.0", Invariant) + "B",
        >= 9.95e5 => "$" + (usd / 1e6).ToString(usd >= 1e7 ? "0" : "0.0", Invariant) + "M",
        >= 1e3 => "$" + (usd / 1e3).ToString("0", Invariant) + "k",
        _ => "$" + usd.ToString("0", Invariant),
    };

    /// <summary>A price at a precision that suits its size: <c>110,500</c>, <c>3,435.5</c>, <c>0.01234</c>.</summary>
    public static string PriceText(double price) => Math.Abs(price) switch
    {
        >= 10_000 => price.ToString("N0", Invariant),
        >= 100 => price.ToString("#,##0.#", Invariant),
        >= 1 => price.ToString("0.###", Invariant),
        _ => price.ToString("0.#####", Invariant),
    };
}
