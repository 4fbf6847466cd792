using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PerpGuard.Core.Portfolio;

/// <summary>
/// Symmetric variates from 64 random bits by table lookup: bit 1 is the sign, the top 62 bits a tail probability
/// v ∈ (0, ½). The table is indexed like a floating-point number (octave of v by leading zeros, then 64 sub-bins by the
/// next six bits) and interpolated linearly, so it reaches v = 2⁻⁶³ (|z| ≈ 9 for a normal, far further for Student t)
/// with a relative bin width of 1/64 at every depth: tails are not cut off, which is the point of fat-tailed increments.
/// One variate costs one random word, a leading-zero count and one interpolation.
/// </summary>
internal sealed class IncrementTable
{
    private const int SubBits = 6;
    private const int SubBins = 1 << SubBits;
    private const int Octaves = 62;
    private const double FractionScale = 1.0 / (1UL << 53);

    private IncrementTable(double[] bins) => Bins = bins;

    /// <summary>Interleaved (value at the bin's left point, value at its right point − left), for inlined lookups.</summary>
    public double[] Bins { get; }

    /// <summary>
    /// Builds the table from <paramref name="upperQuantile"/>: the x ≥ 0 with P(X &gt; x) = v, for v ∈ (0, ½].
    /// </summary>
    public static IncrementTable Create(Func<double, double> upperQuantile)
    {
        var bins = new double[Octaves * SubBins * 2];
        for (var lz = 2; lz < 2 + Octaves; lz++)
        {
            // v = (64 + sub)·2^(−6−lz) at the left point of bin (lz, sub).
            var unit = Math.ScaleB(1, -SubBits - lz);
            var left = upperQuantile((SubBins + 0) * unit);
            for (var sub = 0; sub < SubBins; sub++)
            {
                var right = upperQuantile((SubBins + sub + 1) * unit);
                var index = (((lz - 2) << SubBits) | sub) << 1;
                bins[index] = left;
                bins[index + 1] = right - left;
                left = right;
            }
        }
        return new IncrementTable(bins);
    }

    /// <summary>The variate for the random word <paramref name="bits"/>.</summary>
    public double Sample(ulong bits) => Sample(ref MemoryMarshal.GetArrayDataReference(Bins), bits);

    /// <summary>
    /// The variate for <paramref name="bits"/> from a table's <see cref="Bins"/> (passed by reference so the hot loop
    /// keeps it in a register; the index is always inside the table, so no bounds check is needed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sample(ref double bins, ulong bits)
    {
        var m = (bits >> 2) | 1;                          // 62 bits: v = m·2⁻⁶³
        var lz = BitOperations.LeadingZeroCount(m);       // 2..63: v ∈ [2^−lz, 2^(1−lz))
        var n = m << lz;                                  // leading one at bit 63
        var sub = (int)(n >> (63 - SubBits)) & (SubBins - 1);
        var fraction = (long)((n << (SubBits + 1)) >> 11) * FractionScale; // < 2^53: exact, and a signed convert is one instruction
        var index = (((lz - 2) << SubBits) | sub) << 1;   // ≤ 2·(61·64 + 63) = length − 2
        ref var bin = ref Unsafe.Add(ref bins, index);
        var x = bin + fraction * Unsafe.Add(ref bin, 1);
        // Sign from bit 1 by flipping the sign bit: a branch here would be mispredicted half the time.
        return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) ^ (long)((bits & 2) << 62));
    }
}
