using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PerpGuard.Core.Calculator;

namespace PerpGuard.Bot.Options;

/// <summary>Calculator defaults from the <c>Calculator</c> configuration section.</summary>
public sealed class CalculatorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Calculator";

    /// <summary>Binance taker fee (fraction). Not in Binance's liquidation formula; shown for completeness.</summary>
    [Range(0, 0.01)] public double BinanceTakerFee { get; set; } = 0.0005;
    /// <summary>Bybit taker fee: discounts added margin on inverse contracts.</summary>
    [Range(0, 0.01)] public double BybitTakerFee { get; set; } = 0.00055;
    /// <summary>Hyperliquid taker fee. Not in its liquidation formula.</summary>
    [Range(0, 0.01)] public double HyperliquidTakerFee { get; set; } = 0.00045;
    /// <summary>OKX taker fee: part of OKX's maintenance requirement.</summary>
    [Range(0, 0.01)] public double OkxTakerFee { get; set; } = 0.0005;
    /// <summary>Funding horizon in hours when a rate is given without one.</summary>
    [Range(0.01, 8760)] public double FundingHorizonHours { get; set; } = 24;

    /// <summary>The Core defaults these options describe.</summary>
    public CalculatorDefaults ToDefaults() => new()
    {
        BinanceTakerFee = BinanceTakerFee,
        BybitTakerFee = BybitTakerFee,
        HyperliquidTakerFee = HyperliquidTakerFee,
        OkxTakerFee = OkxTakerFee,
        FundingHorizonHours = FundingHorizonHours,
    };
}

/// <summary>Compile-time generated validator for <see cref="CalculatorOptions"/>.</summary>
[OptionsValidator]
public sealed partial class CalculatorOptionsValidator : IValidateOptions<CalculatorOptions>;
