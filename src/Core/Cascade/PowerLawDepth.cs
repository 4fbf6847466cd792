namespace PerpGuard.Core.Cascade;

/// <summary>
/// The continuous depth approximation of risk-model §b.4: <c>D(u) = B·u^κ</c>, fitted to band notionals (for example
/// bookDepth ±1..5%) or set from a reference depth at 1%. Inverts in closed form.
/// </summary>
public sealed class PowerLawDepth : IDepthCurve
{
    /// <summary>Measured median κ over 21 Binance symbols (§b.4, IQR 1.052–1.356).</summary>
    public const double MedianKappa = 1.161;

    private readonly double _inverseKappa;

    /// <summary>Creates <c>D(u) = b·u^kappa</c>.</summary>
    /// <param name="b">Scale B &gt; 0: USD within distance 1 (100%).</param>
    /// <param name="kappa">Exponent κ &gt; 0.</param>
    /// <param name="trustedReach">Distance ≥ 0 up to which the curve stands for measured data (may be +∞).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range or NaN.</exception>
    public PowerLawDepth(double b, double kappa, double trustedReach)
    {
        if (!(b > 0) || !double.IsFinite(b)) throw new ArgumentOutOfRangeException(nameof(b), b, "B must be finite and greater than zero.");
        if (!(kappa > 0) || !double.IsFinite(kappa)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "κ must be finite and greater than zero.");
        if (!(trustedReach >= 0)) throw new ArgumentOutOfRangeException(nameof(trustedReach), trustedReach, "The trusted reach must be zero or more.");
        B = b;
        Kappa = kappa;
        TrustedReach = trustedReach;
        _inverseKappa = 1 / kappa;
    }

    /// <summary>Scale B: USD within distance 1 (100%).</summary>
    public double B { get; }

    /// <summary>Exponent κ (about 1.16 for BTC-like books: close to linear, slightly convex).</summary>
    public double Kappa { get; }

    /// <inheritdoc />
    public double TrustedReach { get; }

    /// <summary>R² of the log-log fit when the curve came from <see cref="Fit"/>; NaN otherwise.</summary>
    public double FitRSquared { get; private init; } = double.NaN;

    /// <summary>Bands the fit used when the curve came from <see cref="Fit"/>; 0 otherwise.</summary>
    public int FitBands { get; private init; }

    /// <summary>The curve with <paramref name="usdAtOnePercent"/> resting within 1%: <c>B = usd / 0.01^κ</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range or NaN.</exception>
    public static PowerLawDepth FromReference(double usdAtOnePercent, double kappa, double trustedReach)
    {
        if (!(usdAtOnePercent > 0) || !double.IsFinite(usdAtOnePercent))
            throw new ArgumentOutOfRangeException(nameof(usdAtOnePercent), usdAtOnePercent, "Depth at 1% must be finite and greater than zero.");
        if (!(kappa > 0) || !double.IsFinite(kappa)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "κ must be finite and greater than zero.");
        return new PowerLawDepth(usdAtOnePercent / Math.Pow(0.01, kappa), kappa, trustedReach);
    }

    /// <summary>
    /// Least-squares fit of <c>ln D = ln B + κ·ln u</c> over the usable bands: edge &gt; 0 and within
    /// <paramref name="trustedReach"/> (a band beyond what the snapshot covered is a lower bound, not a measurement),
    /// USD finite and &gt; 0. Returns null when fewer than two usable bands with distinct edges remain, or when the
    /// fitted κ is not positive (not a depth curve).
    /// </summary>
    /// <param name="bandEdges">Band edges as fractions (for example <c>DepthSummary.BandEdges</c>).</param>
    /// <param name="cumulativeUsd">Cumulative USD within each band, same length.</param>
    /// <param name="trustedReach">How far the data reaches; also the result's <see cref="TrustedReach"/>.</param>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trustedReach"/> is negative or NaN.</exception>
    public static PowerLawDepth? Fit(IReadOnlyList<double> bandEdges, IReadOnlyList<double> cumulativeUsd, double trustedReach)
    {
        ArgumentNullException.ThrowIfNull(bandEdges);
        ArgumentNullException.ThrowIfNull(cumulativeUsd);
        if (bandEdges.Count != cumulativeUsd.Count) throw new ArgumentException("Band edges and cumulative USD must have the same length.", nameof(cumulativeUsd));
        if (!(trustedReach >= 0)) throw new ArgumentOutOfRangeException(nameof(trustedReach), trustedReach, "The trusted reach must be zero or more.");

        var fit = new LogLogFit();
        for (var i = 0; i < bandEdges.Count; i++)
        {
            var edge = bandEdges[i];
            var usd = cumulativeUsd[i];
            if (!(edge > 0) || !double.IsFinite(edge) || edge > trustedReach + CascadeSimulator.Tolerance) continue;
            if (!(usd > 0) || !double.IsFinite(usd)) continue;
            fit.Add(Math.Log(edge), Math.Log(usd));
        }
        if (!fit.TrySolve(out var intercept, out var slope, out var r2) || !(slope > 0) || !double.IsFinite(Math.Exp(intercept))) return null;
        return new PowerLawDepth(Math.Exp(intercept), slope, trustedReach) { FitRSquared = r2, FitBands = fit.Count };
    }

    /// <inheritdoc />
    public double CumulativeUsd(double u)
    {
        if (!(u >= 0)) throw new ArgumentOutOfRangeException(nameof(u), u, "Distance must be zero or more.");
        return u == 0 ? 0 : B * Math.Pow(u, Kappa);
    }

    /// <inheritdoc />
    public double DistanceFor(double usd)
    {
        if (double.IsNaN(usd)) throw new ArgumentOutOfRangeException(nameof(usd), usd, "USD must not be NaN.");
        return usd <= 0 ? 0 : Math.Pow(usd / B, _inverseKappa);
    }
}

/// <summary>Running sums for a least-squares line y = a + b·x, with R².</summary>
internal struct LogLogFit
{
    private double _sx, _sy, _sxx, _sxy, _syy;

    public int Count { get; private set; }

    public void Add(double x, double y)
    {
        Count++;
        _sx += x;
        _sy += y;
        _sxx += x * x;
        _sxy += x * y;
        _syy += y * y;
    }

    public readonly bool TrySolve(out double intercept, out double slope, out double rSquared)
    {
        intercept = slope = rSquared = double.NaN;
        if (Count < 2) return false;
        var n = (double)Count;
        var vxx = _sxx - _sx * _sx / n;
        var vxy = _sxy - _sx * _sy / n;
        var vyy = _syy - _sy * _sy / n;
        if (!(vxx > 1e-18 * Math.Max(1, _sxx))) return false; // all edges equal
        slope = vxy / vxx;
        intercept = (_sy - slope * _sx) / n;
        rSquared = vyy > 0 ? Math.Clamp(vxy * vxy / (vxx * vyy), 0, 1) : 1;
        return double.IsFinite(slope) && double.IsFinite(intercept);
    }
}
