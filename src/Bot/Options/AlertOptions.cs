using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PerpGuard.Core.Alerts;

namespace PerpGuard.Bot.Options;

/// <summary>The alert engine's policy and delivery (<c>Alerts</c> section). Users' own thresholds live in /settings.</summary>
public sealed class AlertOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Alerts";

    /// <summary>Evaluate and dispatch at least this often (wall clock); every price update also triggers a sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan SweepEvery { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Cooldown of liquidation-distance alerts (escalation never waits).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")] public TimeSpan DistanceCooldown { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Cooldown of hit-chance alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")] public TimeSpan HitChanceCooldown { get; set; } = TimeSpan.FromHours(2);
    /// <summary>Cooldown of cascade alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")] public TimeSpan CascadeCooldown { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Cooldown of funding-cost and funding-flip alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")] public TimeSpan FundingCooldown { get; set; } = TimeSpan.FromHours(8);
    /// <summary>While a position stays at its most critical level, a reminder this often (00:00:00: none).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")] public TimeSpan CriticalRepeat { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Re-arm margin as a fraction of the threshold: the 10% level re-arms above 12.5% with 0.25.</summary>
    [Range(0.0, 0.9)] public double Hysteresis { get; set; } = 0.25;
    /// <summary>How far (fraction of mark) past a cluster's far edge a liquidation price still counts as "just beyond" it.</summary>
    [Range(0.0, 0.1)] public double CascadeBeyond { get; set; } = 0.01;
    /// <summary>Prices stale this long (and seen before) get one notice per symbol, and one when they recover.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")] public TimeSpan StaleNoticeAfter { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Venues diverge when their marks for a held asset are this far apart ((high − low) / median).</summary>
    [Range(0.0005, 0.5)] public double DivergenceThreshold { get; set; } = 0.01;
    /// <summary>...for at least this long (a one-tick dislocation is noise).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan DivergenceMinDuration { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Cooldown of divergence alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")] public TimeSpan DivergenceCooldown { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Cooldown of auto-deleveraging alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")] public TimeSpan AdlCooldown { get; set; } = TimeSpan.FromHours(4);
    /// <summary>Cluster map, depth and volatility per symbol are recomputed at most this often (market time).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan RiskEvery { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Rule inputs (stored candles, OI, funding) per symbol are reloaded at most this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")] public TimeSpan RulesEvery { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Alerts held over the daily cap are summarized this often.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")] public TimeSpan CapSummaryEvery { get; set; } = TimeSpan.FromHours(1);
    /// <summary>First retry after a channel error; doubles per attempt up to <see cref="RetryMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan RetryFirst { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Longest wait between retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")] public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>An alert not delivered this long after it was decided is marked failed (visible in /alerts and /status).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")] public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The sweep's policy.</summary>
    public AlertSweepSettings SweepSettings(TimeSpan horizon) => new()
    {
        Cooldowns = new Dictionary<AlertKind, TimeSpan>
        {
            [AlertKind.Distance] = DistanceCooldown,
            [AlertKind.HitChance] = HitChanceCooldown,
            [AlertKind.Cascade] = CascadeCooldown,
            [AlertKind.Funding] = FundingCooldown,
            [AlertKind.FundingFlip] = FundingCooldown,
            [AlertKind.Stale] = TimeSpan.Zero,
            [AlertKind.Divergence] = DivergenceCooldown,
            [AlertKind.Adl] = AdlCooldown,
        },
        CriticalRepeat = CriticalRepeat,
        Hysteresis = Hysteresis,
        Horizon = horizon,
    };
}

/// <summary>Compile-time generated validator for <see cref="AlertOptions"/>.</summary>
[OptionsValidator]
public sealed partial class AlertOptionsValidator : IValidateOptions<AlertOptions>;
