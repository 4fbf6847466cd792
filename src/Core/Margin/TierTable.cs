using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Margin;

/// <summary>
/// The maintenance brackets of one instrument on one venue, with where and when they were taken.
/// Tables change on the venues; this is a dated snapshot, and every request may override it.
/// </summary>
public sealed class TierTable
{
    private readonly MarginTier[] _tiers;

    /// <summary>Creates a table after checking the brackets are ascending, contiguous and start at zero.</summary>
    /// <exception cref="ArgumentException">The brackets are empty, out of order, overlapping or have gaps.</exception>
    public TierTable(Venue venue, ContractType contract, string symbol, string baseAsset, string settle, TierBasis basis,
        double? contractSize, double tickSize, DateOnly taken, string source, IEnumerable<MarginTier> tiers)
    {
        _tiers = tiers.ToArray();
        if (_tiers.Length == 0) throw new ArgumentException($"{venue.Name()} {symbol}: no tiers.", nameof(tiers));
        if (_tiers[0].Floor != 0) throw new ArgumentException($"{venue.Name()} {symbol}: first floor must be 0.", nameof(tiers));
        for (var i = 0; i < _tiers.Length; i++)
        {
            var t = _tiers[i];
            if (!(t.Cap > t.Floor) || i > 0 && t.Floor != _tiers[i - 1].Cap)
                throw new ArgumentException($"{venue.Name()} {symbol}: tier {i + 1} is not contiguous and ascending.", nameof(tiers));
            if (!(t.MaintenanceRate is >= 0 and < 1) || !(t.MaxLeverage > 0))
                throw new ArgumentException($"{venue.Name()} {symbol}: tier {i + 1} has an invalid rate or leverage.", nameof(tiers));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tickSize);
        Venue = venue; Contract = contract; Symbol = symbol; BaseAsset = baseAsset; Settle = settle; Basis = basis;
        ContractSize = contractSize; TickSize = tickSize; Taken = taken; Source = source;
    }

    /// <summary>Venue the table belongs to.</summary>
    public Venue Venue { get; }
    /// <summary>Linear or inverse.</summary>
    public ContractType Contract { get; }
    /// <summary>The venue's native symbol, e.g. <c>BTC-USDT-SWAP</c>.</summary>
    public string Symbol { get; }
    /// <summary>Base asset, e.g. <c>BTC</c>.</summary>
    public string BaseAsset { get; }
    /// <summary>Settlement (margin) currency: USDT, USDC, or the coin for inverse contracts.</summary>
    public string Settle { get; }
    /// <summary>What the brackets' floor and cap measure.</summary>
    public TierBasis Basis { get; }
    /// <summary>
    /// Inverse: quote value of one contract (USD). OKX linear: base units per contract. Otherwise null.
    /// </summary>
    public double? ContractSize { get; }
    /// <summary>The instrument's price tick.</summary>
    public double TickSize { get; }
    /// <summary>Date the brackets were taken.</summary>
    public DateOnly Taken { get; }
    /// <summary>Where they were taken from.</summary>
    public string Source { get; }
    /// <summary>The brackets, ascending.</summary>
    public ReadOnlySpan<MarginTier> Tiers => _tiers;

    /// <summary>The bracket containing <paramref name="basisValue"/>; the last one beyond the table's end.</summary>
    public ref readonly MarginTier Find(double basisValue)
    {
        var tiers = _tiers;
        for (var i = 0; i < tiers.Length - 1; i++)
            if (basisValue < tiers[i].Cap) return ref tiers[i];
        return ref tiers[^1];
    }
}
