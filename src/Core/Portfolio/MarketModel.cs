using PerpGuard.Core.Probability;

namespace PerpGuard.Core.Portfolio;

/// <summary>How Monte Carlo paths draw each step's log-returns.</summary>
public enum Increments
{
    /// <summary>Correlated Gaussian increments (GBM): the closed form's world, for cross-checks.</summary>
    Normal,
    /// <summary>Student-t increments scaled to unit variance, correlated through the Cholesky factor: fat tails (§d.3.2).</summary>
    StudentT,
    /// <summary>Whole time rows of stored returns drawn at random: the history's own tails and cross-asset dependence.</summary>
    Bootstrap,
}

/// <summary>The joint price model of the assets a Monte Carlo run simulates.</summary>
/// <param name="Assets">Asset names, matched exactly against <see cref="PortfolioPosition.Asset"/>.</param>
/// <param name="Volatility">Annualized volatility per asset (365-day year), for Normal and StudentT.</param>
/// <param name="Correlation">Correlation matrix of the increments (symmetric, unit diagonal, positive semidefinite).</param>
public sealed record MarketModel(IReadOnlyList<string> Assets, double[] Volatility, double[,] Correlation)
{
    /// <summary>Per-step log-returns [asset][t], aligned in time, for <see cref="Increments.Bootstrap"/>. A time row with a
    /// non-finite value in any simulated asset is never drawn.</summary>
    public double[][]? History { get; init; }

    /// <summary>Length of one <see cref="History"/> step; must equal the simulation step for a bootstrap.</summary>
    public TimeSpan HistoryStep { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A model estimated from stored returns: sample volatility annualized by √(steps per 365-day year), Pearson
    /// correlation, and the returns kept as <see cref="History"/>. Only rows where every asset is finite are used.
    /// </summary>
    /// <param name="assets">Asset names, one per row of <paramref name="returns"/>.</param>
    /// <param name="returns">Log-returns [asset][t], aligned in time.</param>
    /// <param name="step">Time between returns.</param>
    /// <exception cref="ArgumentException">Shapes disagree or fewer than two complete rows remain.</exception>
    public static MarketModel FromHistory(IReadOnlyList<string> assets, double[][] returns, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(returns);
        if (assets.Count == 0 || returns.Length != assets.Count) throw new ArgumentException("One return series per asset is needed.", nameof(returns));
        if (step <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(step), step, "Must be positive.");
        var length = returns[0]?.Length ?? 0;
        foreach (var series in returns)
            if (series is null || series.Length != length) throw new ArgumentException("Return series must be aligned (same length).", nameof(returns));
        var rows = CompleteRows(returns, Enumerable.Range(0, returns.Length).ToArray());
        if (rows.Length < 2) throw new ArgumentException("At least two time rows with every asset finite are needed.", nameof(returns));

        var n = assets.Count;
        var mean = new double[n];
        for (var a = 0; a < n; a++) mean[a] = rows.Average(t => returns[a][t]);
        var cov = new double[n, n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b <= a; b++)
            {
                var s = 0.0;
                foreach (var t in rows) s += (returns[a][t] - mean[a]) * (returns[b][t] - mean[b]);
                cov[a, b] = cov[b, a] = s / (rows.Length - 1);
            }
        var stepsPerYear = HitProbability.DaysPerYear * 24 * 60 / step.TotalMinutes;
        var vol = new double[n];
        var correlation = new double[n, n];
        for (var a = 0; a < n; a++)
        {
            vol[a] = Math.Sqrt(cov[a, a] * stepsPerYear);
            for (var b = 0; b < n; b++)
                correlation[a, b] = a == b ? 1 : cov[a, a] > 0 && cov[b, b] > 0 ? Math.Clamp(cov[a, b] / Math.Sqrt(cov[a, a] * cov[b, b]), -1, 1) : 0;
        }
        return new MarketModel(assets.ToArray(), vol, correlation) { History = returns, HistoryStep = step };
    }

    /// <summary>Time indices where every listed asset's return is finite.</summary>
    internal static int[] CompleteRows(double[][] returns, int[] assets)
    {
        var length = returns[assets[0]].Length;
        var rows = new List<int>(length);
        for (var t = 0; t < length; t++)
        {
            var complete = true;
            foreach (var a in assets) complete &= double.IsFinite(returns[a][t]);
            if (complete) rows.Add(t);
        }
        return [.. rows];
    }
}

/// <summary>Monte Carlo settings; the defaults follow risk-model §d.3.2 (20,000 paths, 1-minute steps, t with ν = 4).</summary>
public sealed record MonteCarloSettings
{
    /// <summary>Number of paths.</summary>
    public int Paths { get; init; } = 20_000;

    /// <summary>Horizon in hours; it is rounded up to whole steps.</summary>
    public double HorizonHours { get; init; } = 24;

    /// <summary>Step length in minutes: liquidations are checked once per step, as a mark is.</summary>
    public double StepMinutes { get; init; } = 1;

    /// <summary>Seed; the same seed gives the same result on any machine and with any <see cref="Parallelism"/>.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>How steps are drawn.</summary>
    public Increments Increments { get; init; } = Increments.StudentT;

    /// <summary>Student-t degrees of freedom ν &gt; 2 (finite variance); 3–4 fits crypto minute returns.</summary>
    public double DegreesOfFreedom { get; init; } = 4;

    /// <summary>
    /// Bootstrap only: shift each asset's returns so that E[exp(r)] = 1, i.e. zero drift like the parametric models.
    /// Without it, a trending sample (a crash day) is replayed as a forecast.
    /// </summary>
    public bool DemeanBootstrap { get; init; } = true;

    /// <summary>Threads to use. Paths run in fixed blocks with their own seeds, so this changes speed only, never results.</summary>
    public int Parallelism { get; init; } = 1;
}

/// <summary>Liquidation probabilities within the horizon, each with its binomial standard error √(p(1−p)/n).</summary>
/// <param name="Paths">Paths simulated.</param>
/// <param name="AnyLiquidation">P(at least one position, or the cross account, is liquidated).</param>
/// <param name="AnyLiquidationStdErr">Its standard error.</param>
/// <param name="PerPosition">P(position liquidated), in portfolio order; a cross position's is the account's.</param>
/// <param name="PerPositionStdErr">Their standard errors.</param>
/// <param name="AccountLiquidation">P(the cross account is liquidated); 0 without cross positions.</param>
/// <param name="AccountLiquidationStdErr">Its standard error.</param>
public sealed record MonteCarloResult(int Paths, double AnyLiquidation, double AnyLiquidationStdErr, double[] PerPosition,
    double[] PerPositionStdErr, double AccountLiquidation, double AccountLiquidationStdErr);
