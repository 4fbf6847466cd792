using System.Globalization;
using PerpGuard.Bot.Market;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Rendering;

/// <summary>A <see cref="MarketView"/> as text lines (shared by the CLI and /status-style replies).</summary>
internal static class MarketText
{
    public static IEnumerable<string> Lines(MarketView view, string source)
    {
        var f = view.Feeds;
        yield return $"{view.Key.Venue.Name()} {view.Key.Symbol}  ({source})";
        var t = view.Ticker;
        yield return Line("Mark", t is null ? null
            : $"{Price(t.Mark)}  index {Price(t.Index)} · last {Price(t.Last)}{(double.IsNaN(t.Index) ? "" : $" · premium {Pct((t.Mark - t.Index) / t.Index, 3)}")}", f[MarketFeed.Prices]);
        yield return Line("Funding", t is null || double.IsNaN(t.FundingRate) ? null
            : $"{Pct(t.FundingRate, 4)} per {Num(t.FundingIntervalHours)} h ({Pct(t.FundingPerHour * 24 * 365, 1)} a year){(t.NextFunding is { } next ? $" · next {next:yyyy-MM-dd HH:mm} UTC" : "")}", f[MarketFeed.Prices]);
        yield return Line("Open int.", view.OpenInterest is { } oi ? $"{Num(oi.Coins)} coins · {Usd(oi.Usd)}" : null, f[MarketFeed.OpenInterest]);
        yield return Line("Book", view.Depth is { } d
            ? $"spread {Pct(d.Spread, 3)} · within 1%: bids {Usd(d.BidUsd[1])}, asks {Usd(d.AskUsd[1])} · within 5%: {Usd(d.BidUsd[4])} / {Usd(d.AskUsd[4])}{(d.Reach < DepthSummary.BandEdges[^1] ? $" (book reaches {Pct(d.Reach, 2)})" : "")}"
            : null, f[MarketFeed.Book]);
        yield return Line("Spot", view.Spot is { } s
            ? $"{Price(s.Price)}{(t is null ? "" : $" · basis {Pct(t.Mark / s.Price - 1, 3)}")}{(double.IsNaN(s.QuoteVolume24h) ? "" : $" · 24h {Usd(s.QuoteVolume24h)}")}"
            : null, f[MarketFeed.Spot]);
        if (t is not null && !double.IsNaN(t.QuoteVolume24h)) yield return $"{"Volume",-10}24h {Usd(t.QuoteVolume24h)} perp";
    }

    /// <summary>"12 s ago", "3 min ago", "2 h ago".</summary>
    public static string Age(TimeSpan age) => age.TotalSeconds < 0 ? "now"
        : age.TotalSeconds < 120 ? $"{age.TotalSeconds:0} s ago"
        : age.TotalMinutes < 120 ? $"{age.TotalMinutes:0} min ago"
        : age.TotalHours < 48 ? $"{age.TotalHours:0} h ago" : $"{age.TotalDays:0} d ago";

    /// <summary>The freshness of a feed in a few words: "12 s ago", "STALE: 5 min ago", "no data: reason".</summary>
    public static string Status(Freshness f)
    {
        if (f.Age is not { } age) return f.LastError is null ? "no data yet" : $"no data: {f.LastError}";
        var text = f.Stale ? $"STALE: {Age(age)}" : Age(age);
        return f.LastError is null ? text : $"{text}; last attempt failed: {f.LastError}";
    }

    private static string Line(string label, string? value, Freshness f) =>
        value is null ? $"{label,-10}n/a ({Status(f)})" : $"{label,-10}{value}   [{Status(f)}]";

    private static string Price(double x) => double.IsNaN(x) ? "n/a" : x.ToString(x >= 1000 ? "#,0.0#" : "#,0.00######", CultureInfo.InvariantCulture);
    private static string Num(double x) => x.ToString(x >= 100 ? "#,0" : "#,0.####", CultureInfo.InvariantCulture);
    private static string Pct(double x, int decimals) => (x * 100).ToString("+0." + new string('0', decimals) + ";-0." + new string('0', decimals), CultureInfo.InvariantCulture) + "%";

    private static string Usd(double x) => x switch
    {
        >= 1e9 => $"${(x / 1e9).ToString("0.00", CultureInfo.InvariantCulture)}B",
        >= 1e6 => $"${(x / 1e6).ToString("0.00", CultureInfo.InvariantCulture)}M",
        >= 1e3 => $"${(x / 1e3).ToString("0.0", CultureInfo.InvariantCulture)}k",
        _ => $"${x.ToString("0", CultureInfo.InvariantCulture)}",
    };
}
