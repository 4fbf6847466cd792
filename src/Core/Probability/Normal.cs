namespace PerpGuard.Core.Probability;

/// <summary>Standard normal distribution functions (.NET has no erf).</summary>
public static class Normal
{
    /// <summary>
    /// Cumulative distribution Φ(x), Hart's double-precision algorithm 5666 as given by G. West,
    /// "Better approximations to cumulative normal functions" (2005): absolute error below 1e-14.
    /// </summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        var z = Math.Abs(x);
        double tail;
        if (z > 37)
        {
            tail = 0;
        }
        else
        {
            var e = Math.Exp(-z * z / 2);
            if (z < 7.07106781186547)
            {
                var n = 3.52624965998911E-02 * z + 0.700383064443688;
                n = n * z + 6.37396220353165;
                n = n * z + 33.912866078383;
                n = n * z + 112.079291497871;
                n = n * z + 221.213596169931;
                n = n * z + 220.206867912376;
                var d = 8.83883476483184E-02 * z + 1.75566716318264;
                d = d * z + 16.064177579207;
                d = d * z + 86.7807322029461;
                d = d * z + 296.564248779674;
                d = d * z + 637.333633378831;
                d = d * z + 793.826512519948;
                d = d * z + 440.413735824752;
                tail = e * n / d;
            }
            else
            {
                var d = z + 0.65;
                d = z + 4 / d;
                d = z + 3 / d;
                d = z + 2 / d;
                d = z + 1 / d;
                tail = e / d / 2.506628274631;
            }
        }
        return x > 0 ? 1 - tail : tail;
    }
}
