namespace PerpGuard.Core.Liquidation;

/// <summary>What solving "equity = requirement" for price found.</summary>
public enum PriceLevelKind
{
    /// <summary>A finite positive price exists.</summary>
    AtPrice,
    /// <summary>No positive price reaches the level (e.g. a 1x long, a ≤1x inverse short): the position cannot be liquidated.</summary>
    Unreachable,
    /// <summary>The requirement is breached at every positive price: the account is already below maintenance.</summary>
    BreachedEverywhere,
}

/// <summary>
/// A liquidation or bankruptcy price. "Cannot be liquidated" is a first-class answer: <see cref="Value"/> is then
/// null, never a negative, zero or infinite price.
/// </summary>
public readonly record struct PriceLevel
{
    private readonly double _price;

    private PriceLevel(PriceLevelKind kind, double price)
    {
        Kind = kind;
        _price = price;
    }

    /// <summary>What was found.</summary>
    public PriceLevelKind Kind { get; }

    /// <summary>The price when <see cref="Kind"/> is <see cref="PriceLevelKind.AtPrice"/>; otherwise null.</summary>
    public double? Value => Kind == PriceLevelKind.AtPrice ? _price : null;

    /// <summary>The price, or NaN when there is none (for hot loops that avoid nullable).</summary>
    public double RawValue => Kind == PriceLevelKind.AtPrice ? _price : double.NaN;

    internal static PriceLevel At(double price) => new(PriceLevelKind.AtPrice, price);
    internal static readonly PriceLevel Unreachable = new(PriceLevelKind.Unreachable, double.NaN);
    internal static readonly PriceLevel BreachedEverywhere = new(PriceLevelKind.BreachedEverywhere, double.NaN);
}
