using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Market;

/// <summary>
/// A perpetual as a venue lists it, with the asset it tracks. <see cref="Multiplier"/> is how many coins one unit of
/// the symbol's price covers (1000 for <c>1000PEPEUSDT</c> and <c>kPEPE</c>): divide prices by it to compare venues.
/// </summary>
/// <param name="Venue">The venue.</param>
/// <param name="Symbol">The perpetual's native symbol, as the venue's API spells it.</param>
/// <param name="Contract">Linear or inverse.</param>
/// <param name="Asset">The underlying coin (<c>PEPE</c>).</param>
/// <param name="Multiplier">Coins per price unit (1, 1000, 1000000).</param>
/// <param name="SpotSymbol">The spot pair on the same venue (priced per single coin), or null when there is none.</param>
public sealed record Instrument(Venue Venue, string Symbol, ContractType Contract, string Asset, double Multiplier, string? SpotSymbol);

/// <summary>
/// Maps what a trader types (<c>BTC</c>, <c>btcusdt</c>, <c>BTC-USDT-SWAP</c>, <c>1000PEPEUSDT</c>, <c>kPEPE</c>) to
/// each venue's own perpetual symbol. Units are kept as typed: <c>PEPEUSDT</c> on Binance is not silently turned
/// into <c>1000PEPEUSDT</c>, because the position's prices would then be off by 1000.
/// </summary>
public static class VenueSymbols
{
    // Assets listed in multiplied units, per venue (the common ones; an explicit native symbol always works).
    private static readonly Dictionary<string, double> ThousandsOnBinanceAndBybit = new(StringComparer.Ordinal)
    {
        ["PEPE"] = 1000, ["SHIB"] = 1000, ["BONK"] = 1000, ["FLOKI"] = 1000, ["LUNC"] = 1000, ["XEC"] = 1000,
        ["SATS"] = 1000, ["RATS"] = 1000, ["CAT"] = 1000, ["CHEEMS"] = 1000, ["BABYDOGE"] = 1000000, ["MOG"] = 1000000,
    };
    private static readonly HashSet<string> KiloOnHyperliquid = new(StringComparer.Ordinal)
        { "PEPE", "SHIB", "BONK", "FLOKI", "LUNC", "NEIRO", "DOGS" };

    /// <summary>Resolves typed text to the venue's perpetual. False when the text is not a symbol.</summary>
    public static bool TryResolve(Venue venue, string? text, out Instrument instrument)
    {
        instrument = null!;
        if (!SymbolName.TryParse(text, out var baseAsset, out var quote)) return false;
        var contract = SymbolName.QuoteImpliesInverse(quote) && VenueRules.HasInverse(venue) ? ContractType.Inverse : ContractType.Linear;
        var (asset, multiplier) = SplitMultiplier(baseAsset);
        if (asset.Length == 0) return false;
        instrument = Spell(venue, contract, asset, multiplier);
        return true;
    }

    /// <summary>The instrument of an asset at a venue, in the venue's usual units for it (1000× where it lists that way).</summary>
    public static Instrument ForAsset(Venue venue, string asset, ContractType contract = ContractType.Linear)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(asset);
        asset = asset.Trim().ToUpperInvariant();
        var multiplier = venue switch
        {
            Venue.Binance or Venue.Bybit => ThousandsOnBinanceAndBybit.GetValueOrDefault(asset, 1),
            Venue.Hyperliquid => KiloOnHyperliquid.Contains(asset) ? 1000 : 1,
            _ => 1,
        };
        return Spell(venue, contract, asset, contract == ContractType.Inverse ? 1 : multiplier);
    }

    private static Instrument Spell(Venue venue, ContractType contract, string asset, double multiplier)
    {
        var prefix = multiplier switch { 1000 => "1000", 1000000 => "1000000", _ => "" };
        return venue switch
        {
            Venue.Binance => new(venue, prefix + asset + (contract == ContractType.Inverse ? "USD_PERP" : "USDT"), contract, asset, multiplier, asset + "USDT"),
            Venue.Bybit => new(venue,
                contract == ContractType.Inverse ? asset + "USD" : asset == "SHIB" && multiplier == 1000 ? "SHIB1000USDT" : prefix + asset + "USDT",
                contract, asset, multiplier, asset + "USDT"),
            Venue.Hyperliquid => new(venue, (multiplier == 1000 ? "k" : "") + asset, ContractType.Linear, asset, multiplier, null),
            Venue.Okx => new(venue, asset + (contract == ContractType.Inverse ? "-USD-SWAP" : "-USDT-SWAP"), contract, asset, 1, asset + "-USDT"),
            _ => throw new ArgumentOutOfRangeException(nameof(venue), venue, "Unknown venue."),
        };
    }

    // "1000PEPE" → (PEPE, 1000); "SHIB1000" → (SHIB, 1000); "kPEPE"/"KPEPE" → (PEPE, 1000) for the known kilo assets.
    private static (string Asset, double Multiplier) SplitMultiplier(string baseAsset)
    {
        if (baseAsset.StartsWith("1000000", StringComparison.Ordinal) && baseAsset.Length > 7) return (baseAsset[7..], 1000000);
        if (baseAsset.StartsWith("1000", StringComparison.Ordinal) && baseAsset.Length > 4) return (baseAsset[4..], 1000);
        if (baseAsset.EndsWith("1000", StringComparison.Ordinal) && baseAsset.Length > 4) return (baseAsset[..^4], 1000);
        if (baseAsset.Length > 1 && baseAsset[0] == 'K' && KiloOnHyperliquid.Contains(baseAsset[1..]))
            return (baseAsset[1..], 1000);
        return (baseAsset, 1);
    }
}
