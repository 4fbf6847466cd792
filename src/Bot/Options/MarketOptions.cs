using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PerpGuard.Bot.Options;

/// <summary>Market-data polling, freshness and retention (<c>Market</c> section).</summary>
public sealed class MarketOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Market";

    /// <summary>Poll the venues (the bot's default; off in tests and when replaying).</summary>
    public bool Poll { get; set; } = true;

    /// <summary>Symbols polled even when nobody holds or watches them, as <c>venue:symbol</c> (<c>binance:BTCUSDT</c>, <c>hyperliquid:BTC</c>).</summary>
    [VenueSymbolList] public IList<string> Watchlist { get; } = [];

    /// <summary>Mark, index, last, funding and spot price.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan PricesEvery { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Open interest and the order book.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan DepthEvery { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Candles (perp and spot).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan BarsEvery { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Candle length polled and stored (the cluster map's Δ).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")] public TimeSpan BarInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Candles (and open-interest points) fetched the first time a symbol is polled: 288 × 5 min = 24 h.</summary>
    [Range(1, 1000)] public int Backfill { get; set; } = 288;
    /// <summary>Order-book levels requested per side (clamped to what each venue serves).</summary>
    [Range(5, 1000)] public int BookDepth { get; set; } = 500;

    /// <summary>
    /// Prices older than this are stale: shown with their age, never used as current. Open interest, books and bars
    /// are stale after the larger of this and three of their polling intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")] public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Tickers, spot tickers, open interest and book summaries are stored at most this often per symbol (bars always).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan StoreEvery { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How long stored series are kept.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")] public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Every entry is <c>venue:symbol</c> with a known venue.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class VenueSymbolListAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        foreach (var entry in value as IEnumerable<string> ?? [])
            if (!Market.MarketSymbols.TryParseEntry(entry, out _))
                return new ValidationResult($"{validationContext.DisplayName}: '{entry}' is not venue:symbol with venue binance, bybit, hyperliquid or okx (e.g. binance:BTCUSDT)", [validationContext.MemberName!]);
        return ValidationResult.Success;
    }
}

/// <summary>Compile-time generated validator for <see cref="MarketOptions"/>.</summary>
[OptionsValidator]
public sealed partial class MarketOptionsValidator : IValidateOptions<MarketOptions>;
