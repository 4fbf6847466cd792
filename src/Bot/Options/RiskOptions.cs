using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PerpGuard.Core.Clusters;

namespace PerpGuard.Bot.Options;

/// <summary>One leverage cohort of the cluster map's mix (<c>Risk:LeverageMix</c>).</summary>
public sealed class LeverageShare
{
    /// <summary>Leverage, e.g. 25.</summary>
    public double Leverage { get; set; }
    /// <summary>Share of new open interest at that leverage (the shares sum to 1).</summary>
    public double Weight { get; set; }
}

/// <summary>The cluster map, cascade and volatility defaults (<c>Risk</c> section; risk-model §a–§d).</summary>
public sealed class RiskOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Risk";

    /// <summary>History the cluster map is built from (bars and open interest already stored).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")] public TimeSpan MapLookback { get; set; } = TimeSpan.FromDays(30);
    /// <summary>Half-life of mapped positions closing without an open-interest signal (§a.3 step 2).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")] public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Price bin as a share of price (§a.5).</summary>
    [Range(0.0001, 0.01)] public double BinPct { get; set; } = 0.001;
    /// <summary>Leverage mix of new positions; empty means the default 5/10/25/50/100x at 15/30/25/20/10%.</summary>
    public IList<LeverageShare> LeverageMix { get; } = [];
    /// <summary>Realized-to-mapped ratio φ (1 = uncalibrated, labelled so).</summary>
    [Range(0.01, 10)] public double Calibration { get; set; } = 1;
    /// <summary>Share of displayed depth assumed to survive a cascade in the stressed score (§c, measured median 0.3).</summary>
    [Range(0.001, 1)] public double StressSurvival { get; set; } = 0.30;
    /// <summary>Window of 5-minute returns for the volatility behind hit chances (§d.2).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")] public TimeSpan VolatilityWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Horizon of the hit chance on cards.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")] public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The cluster-map settings these options describe.</summary>
    public ClusterMapSettings MapSettings() => new()
    {
        Mix = LeverageMix.Count == 0 ? ClusterMapSettings.DefaultMix : [.. LeverageMix.Select(l => new LeverageWeight(l.Leverage, l.Weight))],
        HalfLife = HalfLife,
        BinPct = BinPct,
        Calibration = Calibration,
    };
}

/// <summary>Validates <see cref="RiskOptions"/>: the attribute ranges, then the map settings as the map itself checks them.</summary>
[OptionsValidator]
public sealed partial class RiskOptionsValidator : IValidateOptions<RiskOptions>;

/// <summary>The leverage mix must be one the cluster map accepts (weights summing to 1, leverages above 1).</summary>
public sealed class RiskMixValidator : IValidateOptions<RiskOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RiskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MapSettings().Validate() is { } problem
            ? ValidateOptionsResult.Fail($"{RiskOptions.Section}:{nameof(RiskOptions.LeverageMix)}: {problem}")
            : ValidateOptionsResult.Success;
    }
}
