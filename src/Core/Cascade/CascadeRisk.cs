namespace PerpGuard.Core.Cascade;

/// <summary>Display bands of the stressed coverage CRS* at the nearest cluster's band (risk-model §c; heuristic defaults).</summary>
public enum CascadeLabel
{
    /// <summary>CRS* &lt; 0.10: forced flow small relative to the book.</summary>
    Low,
    /// <summary>0.10 ≤ CRS* &lt; 0.50.</summary>
    Moderate,
    /// <summary>0.50 ≤ CRS* &lt; 1.00: a moderate withdrawal of liquidity lets forced flow clear the band.</summary>
    High,
    /// <summary>CRS* ≥ 1.00: forced flow alone exceeds the surviving book in the band.</summary>
    Critical,
}

/// <summary>Coverage of one band x (risk-model §c).</summary>
/// <param name="Band">Band edge x as a fraction (0.02 = 2%).</param>
/// <param name="ForcedUsd">L(x): forced notional (φ applied) at distance ≤ x, a level exactly at the edge included.</param>
/// <param name="DepthUsd">D(x): opposite-side depth within x.</param>
/// <param name="Coverage">CRS(x) = L/D: forced dollars per dollar of visible book (0 when L = 0, +∞ when only D is 0).</param>
/// <param name="StressedCoverage">CRS*(x) = L/(W_stress·D).</param>
public readonly record struct CoverageBand(double Band, double ForcedUsd, double DepthUsd, double Coverage, double StressedCoverage)
{
    /// <summary>True when the band lies beyond the depth curve's trusted reach: D(x) is extrapolated.</summary>
    public bool Extrapolated { get; init; }
}

/// <summary>Cascade-risk score of one side (risk-model §c).</summary>
/// <param name="Bands">Coverage in each of <see cref="CascadeRisk.DefaultBands"/>.</param>
/// <param name="NearestClusterDistance">Distance of the nearest cluster (a forced level of at least the cluster threshold); NaN if none.</param>
/// <param name="AtNearestCluster">Coverage of the smallest default band containing the nearest cluster, or of a band at the
/// cluster's own distance when it lies beyond the widest; null when there is no cluster.</param>
/// <param name="Label">Label of <paramref name="AtNearestCluster"/>'s CRS*; <see cref="CascadeLabel.Low"/> when there is no cluster.</param>
/// <param name="TriggerCostUsd">Q*: the smallest shock whose chain reaches the nearest cluster at W_stress; NaN without a
/// cluster, +∞ when the cluster lies beyond MaxMove.</param>
/// <param name="TriggerShareOfTakerVolume">Q* / 1 h taker volume; NaN when that volume is unknown (NaN or 0) or Q* is NaN.</param>
/// <param name="Reach">Final move of the chain set off by Q*·1.01 (how far a chain goes once started); NaN when Q* is not finite.</param>
/// <param name="Amplification">Reach / move of Q*·1.01 with the map zeroed; +∞ when that move is 0 and the reach is not, 1 when both are 0; NaN when Q* is not finite.</param>
/// <param name="Chain">The run behind <paramref name="Reach"/>; <see cref="CascadeResult.None"/> when Q* is not finite.</param>
/// <param name="Extrapolated">The label's band or the chain relied on depth beyond the trusted reach.</param>
public sealed record CascadeScore(
    IReadOnlyList<CoverageBand> Bands,
    double NearestClusterDistance,
    CoverageBand? AtNearestCluster,
    CascadeLabel Label,
    double TriggerCostUsd,
    double TriggerShareOfTakerVolume,
    double Reach,
    double Amplification,
    CascadeResult Chain,
    bool Extrapolated);

/// <summary>The cascade-risk score (risk-model §c): coverage ratios per band, label, trigger cost, reach and amplification.</summary>
public static class CascadeRisk
{
    /// <summary>Default band edges: 0.5%, 1%, 2%, 3%, 5% (the bookDepth bands).</summary>
    public static readonly double[] DefaultBands = [0.005, 0.01, 0.02, 0.03, 0.05];

    /// <summary>Scores one side: <paramref name="depth"/> and <paramref name="forced"/> in the same direction.</summary>
    /// <param name="depth">Opposite-side depth (bids for the long side, asks for the short side).</param>
    /// <param name="forced">The side's forced levels (the cluster map, raw USD; φ is applied here).</param>
    /// <param name="takerVolume1hUsd">Average 1 h taker volume in USD; NaN or 0 when unknown.</param>
    /// <param name="stressSurvival">W_stress in (0, 1]; the measured median 0.30 by default.</param>
    /// <param name="participation">φ ≥ 0.</param>
    /// <param name="minClusterUsd">Smallest raw notional of a level that counts as a cluster (risk-model §a.5's
    /// <c>minClusterUsd</c>); 0 = every level with notional. Use it when the levels are map bins rather than clusters.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter or forced level is out of range.</exception>
    public static CascadeScore Score(IDepthCurve depth, IReadOnlyList<ForcedLevel> forced, double takerVolume1hUsd, double stressSurvival = CascadeSettings.StressSurvival, double participation = 1, double minClusterUsd = 0)
    {
        ArgumentNullException.ThrowIfNull(depth);
        if (takerVolume1hUsd < 0) throw new ArgumentOutOfRangeException(nameof(takerVolume1hUsd), takerVolume1hUsd, "Taker volume must be zero or more (NaN when unknown).");
        if (!(stressSurvival > 0 && stressSurvival <= 1)) throw new ArgumentOutOfRangeException(nameof(stressSurvival), stressSurvival, "Survival must be in (0, 1].");
        if (!(participation >= 0) || !double.IsFinite(participation)) throw new ArgumentOutOfRangeException(nameof(participation), participation, "Participation must be finite and zero or more.");
        CascadeSimulator.RequireUsd(minClusterUsd, nameof(minClusterUsd));
        var levels = SortedLevels.Of(forced, nameof(forced));
        var settings = new CascadeSettings { Survival = stressSurvival, Participation = participation };

        var bands = new CoverageBand[DefaultBands.Length];
        for (var i = 0; i < bands.Length; i++) bands[i] = Coverage(depth, levels, DefaultBands[i], settings);

        var nearestIndex = levels.NearestAtLeast(minClusterUsd);
        if (nearestIndex < 0)
            return new CascadeScore(bands, double.NaN, null, CascadeLabel.Low, double.NaN, double.NaN, double.NaN, double.NaN, CascadeResult.None, false);

        var nearest = levels.Distance[nearestIndex];
        var at = Coverage(depth, levels, BandFor(nearest), settings);
        var label = LabelOf(at.StressedCoverage);
        var trigger = CascadeSimulator.MinimumShock(depth, levels, nearest, settings);
        var share = takerVolume1hUsd > 0 ? trigger / takerVolume1hUsd : double.NaN;
        if (!double.IsFinite(trigger))
            return new CascadeScore(bands, nearest, at, label, trigger, share, double.NaN, double.NaN, CascadeResult.None, at.Extrapolated);

        var shock = trigger * 1.01;
        var waves = new List<CascadeWave>();
        var fired = new List<ForcedLevel>();
        var outcome = CascadeSimulator.Walk(depth, levels, shock, settings, waves, fired);
        var chain = new CascadeResult(outcome.Move, outcome.ForcedUsd, waves, fired, outcome.Exhausted, outcome.Extrapolated);
        var alone = CascadeSimulator.Walk(depth, SortedLevels.Empty, shock, settings, null, null).Move;
        var amplification = alone > 0 ? chain.Move / alone : chain.Move > 0 ? double.PositiveInfinity : 1;
        return new CascadeScore(bands, nearest, at, label, trigger, share, chain.Move, amplification, chain, at.Extrapolated || chain.Extrapolated);
    }

    /// <summary>The §c label of a stressed coverage CRS*: &lt; 0.10 low, &lt; 0.50 moderate, &lt; 1.00 high, else critical.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stressedCoverage"/> is negative or NaN.</exception>
    public static CascadeLabel LabelOf(double stressedCoverage)
    {
        if (!(stressedCoverage >= 0)) throw new ArgumentOutOfRangeException(nameof(stressedCoverage), stressedCoverage, "Coverage must be zero or more.");
        return stressedCoverage switch
        {
            < 0.10 => CascadeLabel.Low,
            < 0.50 => CascadeLabel.Moderate,
            < 1.00 => CascadeLabel.High,
            _ => CascadeLabel.Critical,
        };
    }

    /// <summary>
    /// Coverage of the band a cluster at <paramref name="distance"/> is scored in (the smallest default band containing
    /// it, or its own distance beyond the widest): what the label of a cluster other than the nearest one would be.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter or forced level is out of range.</exception>
    public static CoverageBand CoverageAt(IDepthCurve depth, IReadOnlyList<ForcedLevel> forced, double distance, double stressSurvival = CascadeSettings.StressSurvival, double participation = 1)
    {
        ArgumentNullException.ThrowIfNull(depth);
        if (!(distance > 0) || !double.IsFinite(distance)) throw new ArgumentOutOfRangeException(nameof(distance), distance, "Distance must be finite and positive.");
        if (!(stressSurvival > 0 && stressSurvival <= 1)) throw new ArgumentOutOfRangeException(nameof(stressSurvival), stressSurvival, "Survival must be in (0, 1].");
        return Coverage(depth, SortedLevels.Of(forced, nameof(forced)), BandFor(distance), new CascadeSettings { Survival = stressSurvival, Participation = participation });
    }

    /// <summary>The band a level at <paramref name="distance"/> is scored in: the smallest default band containing it, or its own distance beyond the widest.</summary>
    internal static double BandFor(double distance)
    {
        foreach (var band in DefaultBands) if (distance <= band + CascadeSimulator.Tolerance) return band;
        return distance;
    }

    internal static CoverageBand Coverage(IDepthCurve depth, SortedLevels levels, double band, CascadeSettings settings)
    {
        var forced = settings.Participation * levels.NotionalWithin(band);
        var resting = depth.CumulativeUsd(band);
        var coverage = forced == 0 ? 0 : resting > 0 ? forced / resting : double.PositiveInfinity;
        return new CoverageBand(band, forced, resting, coverage, coverage / settings.Survival) { Extrapolated = band > depth.TrustedReach + CascadeSimulator.Tolerance };
    }
}
