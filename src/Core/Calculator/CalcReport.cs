using PerpGuard.Core.Funding;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Rounding;

namespace PerpGuard.Core.Calculator;

/// <summary>
/// A field of the request that is wrong, what is wrong with it, and a valid example value written as a JSON
/// token (e.g. <c>60000</c> or <c>"long"</c>). Channels render it in their own syntax.
/// </summary>
/// <param name="Field">snake_case field name, with an index for list items (<c>other_positions[1].qty</c>).</param>
/// <param name="Problem">What is wrong, in words a trader understands.</param>
/// <param name="Example">A valid value for the field, as a JSON token.</param>
public sealed record InputError(string Field, string Problem, string Example)
{
    /// <summary>The message used by the JSONL interface: <c>qty: must be greater than 0 (got -1). Example: "qty": 0.5</c>.</summary>
    public override string ToString() => $"{Field}: {Problem}. Example: \"{Field}\": {Example}";
}

/// <summary>Everything the calculator found for one position.</summary>
public sealed record CalcReport
{
    /// <summary>Echo of the request id.</summary>
    public string? Id { get; init; }
    /// <summary>The validated position.</summary>
    public required PositionTerms Terms { get; init; }
    /// <summary>The venue's native symbol when known (e.g. <c>BTC-USDT-SWAP</c>), else the request's symbol, else null.</summary>
    public string? Symbol { get; init; }
    /// <summary>The built-in table used, or null when the request overrode the bracket.</summary>
    public TierTable? Table { get; init; }
    /// <summary>The main leg's bracket at the liquidation price (at entry when there is none).</summary>
    public required MarginTier Tier { get; init; }
    /// <summary>Settle currency label (USDT, USDC, BTC, ... or "quote"/"coin" when unknown).</summary>
    public required string Settle { get; init; }
    /// <summary>Price tick of the symbol for display (known from the built-in data even with a bracket override), or default (no rounding).</summary>
    public TickSize Tick { get; init; }
    /// <summary>Liquidation price (unrounded).</summary>
    public required PriceLevel Liquidation { get; init; }
    /// <summary>Bankruptcy price (unrounded).</summary>
    public required PriceLevel Bankruptcy { get; init; }
    /// <summary>Maintenance margin of this symbol at the mark (at entry when no mark is given).</summary>
    public required double MaintenanceMargin { get; init; }
    /// <summary>Initial margin: notional at entry ÷ leverage; null in cross without a leverage.</summary>
    public double? InitialMargin { get; init; }
    /// <summary>Mark used for distance, margin ratio and probability (null when not given).</summary>
    public double? Mark { get; init; }
    /// <summary>Requirement ÷ equity at the mark; ≥ 1 means liquidation.</summary>
    public double? MarginRatio { get; init; }
    /// <summary><c>s·(mark − L)/mark</c>: fraction of the mark price can move against the position before liquidation.</summary>
    public double? Distance { get; init; }
    /// <summary><c>s·(mark − L)</c> in price.</summary>
    public double? DistancePrice { get; init; }
    /// <summary>Funding projection when a rate was given.</summary>
    public FundingProjection? Funding { get; init; }
    /// <summary>Isolated: liquidation price after the horizon's settlements at the current rate.</summary>
    public PriceLevel? LiquidationAfterFunding { get; init; }
    /// <summary>Isolated: settlements until funding alone takes the position to maintenance (null: never).</summary>
    public int? IntervalsToLiquidationByFunding { get; init; }
    /// <summary>Annualized volatility used.</summary>
    public double? Volatility { get; init; }
    /// <summary>Horizon in hours.</summary>
    public double? HorizonHours { get; init; }
    /// <summary>P(touch liquidation within the horizon), continuous monitoring.</summary>
    public double? HitProbability { get; init; }
    /// <summary>The same with the 1-hour-candle correction (BGK), when the horizon exceeds one hour.</summary>
    public double? HitProbabilityHourlyBars { get; init; }
}

/// <summary>The calculator's answer: a report, or the first input error.</summary>
public readonly record struct CalcOutcome(CalcReport? Report, InputError? Error)
{
    /// <summary>Whether the request was valid.</summary>
    public bool IsSuccess => Report is not null;
}
