namespace PerpGuard.Core.Calculator;

/// <summary>
/// A position as a user or script describes it: every field optional and unvalidated. The snake_case JSON names
/// of the <c>calc --jsonl</c> interface are these property names (e.g. <see cref="WalletBalance"/> = <c>wallet_balance</c>).
/// <see cref="RiskCalculator"/> validates it and names the offending field when something is wrong.
/// </summary>
public sealed class CalcRequest
{
    /// <summary>Echoed in the response.</summary>
    public string? Id { get; set; }
    /// <summary><c>binance</c>, <c>bybit</c>, <c>hyperliquid</c> or <c>okx</c>.</summary>
    public string? Venue { get; set; }
    /// <summary>Optional; selects the built-in tiers. Any spelling: <c>BTC</c>, <c>btcusdt</c>, <c>BTC-USDT-SWAP</c>.</summary>
    public string? Symbol { get; set; }
    /// <summary><c>linear</c> (default) or <c>inverse</c>; a USD-quoted symbol (BTCUSD_PERP) implies inverse.</summary>
    public string? Contract { get; set; }
    /// <summary><c>isolated</c> (default) or <c>cross</c>.</summary>
    public string? MarginMode { get; set; }
    /// <summary><c>long</c> or <c>short</c>.</summary>
    public string? Side { get; set; }
    /// <summary>Average entry price.</summary>
    public double? Entry { get; set; }
    /// <summary>Size: base units (linear) or contracts (inverse).</summary>
    public double? Qty { get; set; }
    /// <summary>Inverse: quote value of one contract (defaults from the built-in table).</summary>
    public double? ContractSize { get; set; }
    /// <summary>Leverage setting.</summary>
    public double? Leverage { get; set; }
    /// <summary>Isolated margin in the settle currency (default: notional at entry ÷ leverage).</summary>
    public double? Margin { get; set; }
    /// <summary>Cross: wallet balance in the settle currency.</summary>
    public double? WalletBalance { get; set; }
    /// <summary>Current mark price, for distance, margin ratio and hit probability.</summary>
    public double? Mark { get; set; }
    /// <summary>Maintenance rate override (fraction).</summary>
    public double? Mmr { get; set; }
    /// <summary>Maintenance amount override (Binance cum / deduction), in the settle currency.</summary>
    public double? MaintenanceAmount { get; set; }
    /// <summary>Taker fee rate override (fraction).</summary>
    public double? TakerFee { get; set; }
    /// <summary>Cross: the account's other positions, each at its own mark.</summary>
    public IList<OtherPositionRequest>? OtherPositions { get; set; }
    /// <summary>Funding rate per interval (positive: longs pay shorts).</summary>
    public double? FundingRate { get; set; }
    /// <summary>Hours between settlements (default: the venue's).</summary>
    public double? FundingIntervalHours { get; set; }
    /// <summary>Annualized volatility (0.6 = 60%).</summary>
    public double? Volatility { get; set; }
    /// <summary>Horizon for hit probability and funding cost, in hours.</summary>
    public double? HorizonHours { get; set; }
    /// <summary>Bybit only: <c>at_mark</c> (default) or <c>published</c> (maintenance at entry value).</summary>
    public string? Formula { get; set; }
}

/// <summary>Another position in the same cross account.</summary>
public sealed class OtherPositionRequest
{
    /// <summary>Symbol; the same symbol as the request makes this a hedge-mode leg.</summary>
    public string? Symbol { get; set; }
    /// <summary><c>long</c> or <c>short</c>.</summary>
    public string? Side { get; set; }
    /// <summary>Size in base units (linear) or contracts (inverse).</summary>
    public double? Qty { get; set; }
    /// <summary>Entry price.</summary>
    public double? Entry { get; set; }
    /// <summary>Its current mark (ignored for a same-symbol leg, which moves with the request's price).</summary>
    public double? Mark { get; set; }
    /// <summary>Maintenance rate override; default from the built-in tiers at its notional.</summary>
    public double? Mmr { get; set; }
    /// <summary>Maintenance amount override.</summary>
    public double? MaintenanceAmount { get; set; }
    /// <summary>Inverse: quote value of one contract.</summary>
    public double? ContractSize { get; set; }
}
