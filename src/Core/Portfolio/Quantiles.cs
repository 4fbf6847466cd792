using PerpGuard.Core.Probability;

namespace PerpGuard.Core.Portfolio;

/// <summary>Inverse distribution functions for the L-VaR quantile and the Monte Carlo increment tables.</summary>
internal static class Quantiles
{
    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    /// <summary>
    /// Φ⁻¹(p): Acklam's rational approximation (relative error 1.15e-9), refined by one Halley step against
    /// <see cref="Normal.Cdf"/>, which brings it to the CDF's own accuracy (about 1e-14 relative, tails included).
    /// </summary>
    public static double InverseNormal(double p)
    {
        if (!(p is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Must be in (0, 1).");
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        else if (p <= 1 - low)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        // Halley on the tail nearer to p, so 1 − p never loses digits.
        var e = x <= 0 ? Normal.Cdf(x) - p : (1 - p) - Normal.Cdf(-x);
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /// <summary>
    /// Upper tail P(T &gt; t) of Student's t with <paramref name="nu"/> degrees of freedom, t ≥ 0:
    /// ½·I_x(ν/2, ½) with x = ν/(ν + t²) (regularized incomplete beta; accurate relative to the tail).
    /// </summary>
    public static double StudentUpperTail(double t, double nu)
    {
        var t2 = t * t;
        var x = nu / (nu + t2);
        var oneMinusX = t2 / (nu + t2);
        return 0.5 * RegularizedBeta(x, oneMinusX, nu / 2, 0.5);
    }

    /// <summary>The t ≥ 0 with P(T &gt; t) = <paramref name="tail"/> (≤ ½): Newton on log t against log tail, bracketed.</summary>
    public static double StudentUpperQuantile(double tail, double nu)
    {
        if (!(tail is > 0 and <= 0.5)) throw new ArgumentOutOfRangeException(nameof(tail), tail, "Must be in (0, 0.5].");
        if (tail == 0.5) return 0;
        var logTail = Math.Log(tail);
        var logNorm = LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI);
        // Tail asymptote P(T > t) ≈ c·t^−ν with c = density constant·ν^((ν−1)/2); a fine start everywhere.
        var y = (logNorm + (nu - 1) / 2 * Math.Log(nu) - logTail) / nu;
        double lo = -40, hi = 80;
        for (var k = 0; k < 200; k++)
        {
            if (!(y > lo && y < hi)) y = 0.5 * (lo + hi);
            var t = Math.Exp(y);
            var s = StudentUpperTail(t, nu);
            var g = Math.Log(s) - logTail;
            if (g > 0) lo = y; else hi = y;
            var logDensity = logNorm - (nu + 1) / 2 * Math.Log(1 + t * t / nu);
            var slope = -Math.Exp(logDensity - Math.Log(s)) * t; // d log S / d log t
            var step = g / slope;
            y -= step;
            if (Math.Abs(step) < 1e-15 || hi - lo < 1e-15) break;
        }
        return Math.Exp(Math.Clamp(y, lo, hi));
    }

    /// <summary>I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4), on the side where it converges fast.</summary>
    private static double RegularizedBeta(double x, double oneMinusX, double a, double b)
    {
        if (x <= 0) return 0;
        if (oneMinusX <= 0) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(oneMinusX));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(x, a, b) / a
            : 1 - front * BetaContinuedFraction(oneMinusX, b, a) / b;
    }

    private static double BetaContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 500; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return h;
    }

    private static readonly double[] Lanczos = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

    /// <summary>ln Γ(x) for x &gt; 0, Lanczos (g = 7, n = 9): about 1e-15 relative.</summary>
    internal static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < Lanczos.Length; i++) a += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }
}
