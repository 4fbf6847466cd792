namespace PerpGuard.Core.Portfolio;

/// <summary>Beta of an asset to BTC, for <see cref="BtcMove"/> scenarios.</summary>
public static class Betas
{
    /// <summary>Fewer aligned samples than this give beta 1: too little history to say anything better.</summary>
    public const int MinimumSamples = 10;

    /// <summary>
    /// OLS slope cov(btc, asset) / var(btc) over the samples where both returns are finite (NaN marks a gap in either
    /// series). With fewer than <see cref="MinimumSamples"/> such samples, or a BTC series that does not move, the
    /// beta is 1 and <c>Samples</c> tells the caller why ("not enough history").
    /// </summary>
    /// <param name="btcReturns">BTC returns.</param>
    /// <param name="assetReturns">The asset's returns over the same periods, index by index.</param>
    /// <exception cref="ArgumentException">The spans differ in length (they would not be aligned).</exception>
    public static (double Beta, int Samples) Estimate(ReadOnlySpan<double> btcReturns, ReadOnlySpan<double> assetReturns)
    {
        if (btcReturns.Length != assetReturns.Length)
            throw new ArgumentException("The two return series must be aligned (same length).", nameof(assetReturns));
        var n = 0;
        double meanX = 0, meanY = 0;
        for (var i = 0; i < btcReturns.Length; i++)
        {
            if (!double.IsFinite(btcReturns[i]) || !double.IsFinite(assetReturns[i])) continue;
            n++;
            meanX += btcReturns[i];
            meanY += assetReturns[i];
        }
        if (n < MinimumSamples) return (1, n);
        meanX /= n;
        meanY /= n;
        double cov = 0, varX = 0;
        for (var i = 0; i < btcReturns.Length; i++)
        {
            if (!double.IsFinite(btcReturns[i]) || !double.IsFinite(assetReturns[i])) continue;
            var dx = btcReturns[i] - meanX;
            cov += dx * (assetReturns[i] - meanY);
            varX += dx * dx;
        }
        return varX > 0 ? (cov / varX, n) : (1, n);
    }
}
