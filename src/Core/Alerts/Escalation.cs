namespace PerpGuard.Core.Alerts;

/// <summary>Levels with hysteresis: a level is entered at its threshold and left only past the threshold plus a margin.</summary>
public static class Escalation
{
    /// <summary>
    /// The distance level: the number of <paramref name="levels"/> (fractions of mark, most distant first) the
    /// distance is at or inside. Falling back from level k needs the distance at or above <c>levels[k-1]·(1 + hysteresis)</c>,
    /// so a price hovering on a threshold does not re-fire. A distance of zero or less is the top level here; the sweep
    /// treats it as the crossing, one level above.
    /// </summary>
    public static int DistanceLevel(double distance, ReadOnlySpan<double> levels, int current, double hysteresis)
    {
        var raw = 0;
        while (raw < levels.Length && distance <= levels[raw]) raw++;
        if (raw >= current) return raw;
        var level = current > levels.Length ? levels.Length : current;
        while (level > raw && distance >= DistanceRearm(levels[level - 1], hysteresis)) level--;
        return level;
    }

    /// <summary>The distance at or above which a fired distance level re-arms: <c>level·(1 + hysteresis)</c>.</summary>
    public static double DistanceRearm(double level, double hysteresis) => level * (1 + hysteresis);

    /// <summary>The value below which a fired threshold re-arms: <c>threshold·(1 − hysteresis)</c>.</summary>
    public static double ThresholdRearm(double threshold, double hysteresis) => threshold * (1 - hysteresis);

    /// <summary>
    /// A single threshold (hit chance, funding share): level 1 at or above <paramref name="threshold"/>, back to 0 only
    /// below <c>threshold·(1 − hysteresis)</c>.
    /// </summary>
    public static int ThresholdLevel(double value, double threshold, int current, double hysteresis)
    {
        if (value >= threshold) return 1;
        return current > 0 && value >= ThresholdRearm(threshold, hysteresis) ? 1 : 0;
    }
}
