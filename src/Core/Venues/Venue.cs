namespace PerpGuard.Core.Venues;

/// <summary>A derivatives venue whose liquidation rules PerpGuard reproduces.</summary>
public enum Venue
{
    /// <summary>Binance USDⓈ-M (linear) and COIN-M (inverse) futures.</summary>
    Binance,
    /// <summary>Bybit v5 / Unified Trading Account, linear and inverse.</summary>
    Bybit,
    /// <summary>Hyperliquid perpetuals (USDC-margined, linear only).</summary>
    Hyperliquid,
    /// <summary>OKX perpetual swaps, linear and inverse.</summary>
    Okx,
}

/// <summary>How a contract settles.</summary>
public enum ContractType
{
    /// <summary>Quoted and margined in the quote currency (USDT/USDC); quantity in base units.</summary>
    Linear,
    /// <summary>Coin-margined; quantity in contracts each worth a fixed amount of quote (USD).</summary>
    Inverse,
}

/// <summary>Whether a position's collateral is its own or the whole account's.</summary>
public enum MarginMode
{
    /// <summary>Only the margin assigned to the position backs it.</summary>
    Isolated,
    /// <summary>The account's wallet backs every cross position.</summary>
    Cross,
}

/// <summary>Direction of a position. The numeric value is the sign used in every formula.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Long and short are the trading terms.")]
public enum PositionSide
{
    /// <summary>Profits when price rises; liquidated below entry.</summary>
    Long = 1,
    /// <summary>Profits when price falls; liquidated above entry.</summary>
    Short = -1,
}

/// <summary>Which of Bybit's two published isolated formulas to use.</summary>
public enum BybitFormula
{
    /// <summary>Equity and maintenance margin both evaluated at the mark (Bybit's 2026 UTA page). Default.</summary>
    AtMark,
    /// <summary>The older published form that takes maintenance margin at entry value.</summary>
    PublishedAtEntry,
}

/// <summary>Per-venue constants that are not per-symbol data.</summary>
public static class VenueRules
{
    /// <summary>Default funding interval in hours when the symbol does not say otherwise.</summary>
    public static double DefaultFundingIntervalHours(Venue venue) => venue == Venue.Hyperliquid ? 1 : 8;

    /// <summary>Whether the venue lists inverse (coin-margined) perpetuals.</summary>
    public static bool HasInverse(Venue venue) => venue != Venue.Hyperliquid;

    /// <summary>Parses a venue name as users and scripts write it (case-insensitive).</summary>
    public static bool TryParseVenue(string? text, out Venue venue)
    {
        var t = text.AsSpan().Trim();
        if (Is(t, "binance") || Is(t, "bn") || Is(t, "binance-usdm") || Is(t, "binance-coinm")) venue = Venue.Binance;
        else if (Is(t, "bybit") || Is(t, "bb")) venue = Venue.Bybit;
        else if (Is(t, "hyperliquid") || Is(t, "hl") || Is(t, "hyper")) venue = Venue.Hyperliquid;
        else if (Is(t, "okx") || Is(t, "okex")) venue = Venue.Okx;
        else { venue = default; return false; }
        return true;
    }

    /// <summary>Case-insensitive comparison without allocating (parsers run once per JSONL line).</summary>
    internal static bool Is(ReadOnlySpan<char> text, string word) => text.Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The lowercase name used in JSON and on the command line.</summary>
    public static string Name(this Venue venue) => venue switch
    {
        Venue.Binance => "binance",
        Venue.Bybit => "bybit",
        Venue.Hyperliquid => "hyperliquid",
        Venue.Okx => "okx",
        _ => throw new ArgumentOutOfRangeException(nameof(venue), venue, "Unknown venue."),
    };

    /// <summary>The sign of a side: +1 long, −1 short.</summary>
    public static int Sign(this PositionSide side) => (int)side;
}
