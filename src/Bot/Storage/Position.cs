using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Storage;

/// <summary>A position a user tracks. Its terms are what the user typed, validated by the calculator before saving.</summary>
public sealed class Position
{
    /// <summary>Global id shown as <c>#12</c>. Guessing another user's id finds nothing: queries filter on <see cref="OwnerId"/>.</summary>
    public long Id { get; set; }
    /// <summary>The <see cref="ChatUser"/> that owns it.</summary>
    public long OwnerId { get; set; }
    /// <summary>Venue whose rules compute its liquidation.</summary>
    public Venue Venue { get; set; }
    /// <summary>The venue's native symbol where known (<c>BTC-USDT-SWAP</c> on OKX), else the symbol upper-cased.</summary>
    public required string Symbol { get; set; }
    /// <summary>Linear or inverse.</summary>
    public ContractType Contract { get; set; }
    /// <summary>Isolated or cross.</summary>
    public MarginMode MarginMode { get; set; }
    /// <summary>Long or short.</summary>
    public PositionSide Side { get; set; }
    /// <summary>Size: base units (linear) or contracts (inverse).</summary>
    public double Quantity { get; set; }
    /// <summary>Average entry price.</summary>
    public double Entry { get; set; }
    /// <summary>Leverage setting (optional in cross with a wallet balance).</summary>
    public double? Leverage { get; set; }
    /// <summary>Isolated margin when the user gave one (default: notional ÷ leverage).</summary>
    public double? Margin { get; set; }
    /// <summary>Cross: wallet balance.</summary>
    public double? Wallet { get; set; }
    /// <summary>Maintenance rate override for symbols without built-in tiers.</summary>
    public double? Mmr { get; set; }
    /// <summary>Free text, e.g. "swing" (at most <see cref="MaxLabelLength"/> characters).</summary>
    public string? Label { get; set; }
    /// <summary>When it was added.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Last edit.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Longest label accepted.</summary>
    public const int MaxLabelLength = 64;
    /// <summary>Longest symbol accepted.</summary>
    public const int MaxSymbolLength = 32;
}
