using System.Buffers;
using PerpGuard.Core.Market;

namespace PerpGuard.Core.Rules;

/// <summary>
/// The R5 statistics at one hour: robust z of perp and spot volume against the same hour of day over the 14 days
/// before, the perp/spot volume ratio and its 30-day median.
/// </summary>
/// <param name="ZPerp">Robust z of this hour's perp volume.</param>
/// <param name="ZSpot">Robust z of this hour's spot volume.</param>
/// <param name="Ratio">This hour's perp volume / spot volume.</param>
/// <param name="RatioMedian">Median of the hourly ratio over the 30 days up to this hour.</param>
public readonly record struct VolumeSpikeStats(double ZPerp, double ZSpot, double Ratio, double RatioMedian);

/// <summary>
/// The invalidation rules of risk-model §e as predicates over stored series. Pure: <c>now</c> comes from the caller
/// and only data up to it is used (bars whose close time is ≤ now, points stamped ≤ now, hourly buckets that ended by
/// now). Conditions are three-valued: a rule fires only when every condition is established from data; an input
/// that is missing is named in <see cref="RuleResult.Missing"/>, and the result is not
/// <see cref="RuleResult.Evaluable"/> only when no condition is known false and one cannot be decided (a known
/// false condition decides "not fired" whatever is missing). Where the spec names a fallback it is used:
/// R1 without a liquidation feed flushes on the OI and price drops alone; R2 judges spot on CVD, taker share or the
/// Coinbase premium, whichever is there; R4 without dated-futures basis uses the perp premium path.
/// </summary>
public static class InvalidationRules
{
    private const double Tolerance = 1e-12;
    private static readonly long Hour = TimeSpan.TicksPerHour;
    private static readonly long Day = TimeSpan.TicksPerDay;

    /// <summary>Evaluates <paramref name="rule"/> on <paramref name="inputs"/> at <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rule kind is not defined.</exception>
    public static RuleResult Evaluate(RuleDefinition rule, RuleInputs inputs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(inputs);
        return rule.Kind switch
        {
            RuleKind.OiRebuild => OiRebuild(rule, inputs, now),
            RuleKind.HotFunding => HotFunding(rule, inputs, now),
            RuleKind.SupportLost => SupportLost(rule, inputs, now),
            RuleKind.BasisTightening => BasisTightening(rule, inputs, now),
            RuleKind.PerpVolumeSpike => PerpVolumeSpike(rule, inputs, now),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Kind, "Unknown rule."),
        };
    }

    /// <summary>Evaluates every rule of <paramref name="rules"/> on the same inputs and time.</summary>
    public static IReadOnlyList<RuleResult> EvaluateAll(IReadOnlyList<RuleDefinition> rules, RuleInputs inputs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var results = new RuleResult[rules.Count];
        for (var i = 0; i < rules.Count; i++) results[i] = Evaluate(rules[i], inputs, now);
        return results;
    }

    // ───────────────────────────── R1 ─────────────────────────────

    private static RuleResult OiRebuild(RuleDefinition rule, RuleInputs inputs, DateTimeOffset now)
    {
        var w = (long)(rule["flushWin"] * Hour);
        var oiDrop = rule["flushOiDrop"];
        var pxDrop = rule["flushPxDrop"];
        var liqMult = rule["liqMult"];
        var rebuild = (long)(rule["rebuildWin"] * Hour);
        var r = rule["r"];
        var eps = rule["eps"];
        var evidence = new List<Evidence>();
        var missing = new List<string>();
        var nowT = now.UtcTicks;

        var oi = inputs.OiRaw;
        var bars = inputs.PerpRaw(nowT - rebuild - w);
        var nOi = Search.UpperBound(oi.Ticks, oi.Count, nowT);
        var nBars = bars.ClosedBy(nowT);
        if (nOi == 0) missing.Add("no open interest up to now: flush and rebuild cannot be checked");
        if (nBars == 0) missing.Add("no perp bars in the flush and rebuild windows: flush and rebuild cannot be checked");
        if (nOi == 0 || nBars == 0) return NotEvaluable(RuleKind.OiRebuild, evidence, missing);

        var unit = oi.Usd ? "USD" : "coins";
        if (!oi.Usd) missing.Add("open interest in USD not given: coins used");
        var scanFrom = nowT - rebuild;
        if (oi.Ticks[0] > scanFrom - w)
            missing.Add($"open interest starts {Hours(nowT - oi.Ticks[0]):0.#} h before now (of {Hours(rebuild + w):0.#} h): older flushes cannot be seen");

        // Liquidations: prefix sums of long liquidations up to now, and the 30-day median of flushWin-long sums.
        var liq = inputs.Liquidations;
        double[]? liqPrefix = null;
        long[] liqTimes = [];
        var liqBaseline = double.NaN;
        if (liq is null)
        {
            missing.Add("no liquidation feed: flush detected on the OI and price drops alone");
        }
        else
        {
            var nLiq = Search.UpTo(liq, nowT, static p => p.Time);
            liqPrefix = new double[nLiq + 1];
            liqTimes = new long[nLiq];
            for (var i = 0; i < nLiq; i++)
            {
                liqTimes[i] = liq[i].Time.UtcTicks;
                liqPrefix[i + 1] = liqPrefix[i] + (double.IsFinite(liq[i].LongUsd) ? liq[i].LongUsd : 0);
            }
            liqBaseline = LiquidationBaseline(liqTimes, liqPrefix, nowT, w);
            if (double.IsNaN(liqBaseline)) missing.Add("liquidation feed has no data in the last 30 days: no flush can be confirmed");
        }

        if (SkipFlushScan && !MayHaveFlush(inputs, oi, scanFrom, nowT, w, oiDrop, pxDrop))
        {
            evidence.Add(new Evidence("flushes in window", 0, "count"));
            evidence.Add(new Evidence("OI now", oi.Value[nOi - 1], unit));
            evidence.Add(new Evidence("close", bars.Close[nBars - 1], "price"));
            evidence.Add(new Evidence("rebuild window", Hours(rebuild), "h"));
            return new RuleResult(RuleKind.OiRebuild, false, 0, evidence, missing, Rearm: false, Evaluable: true);
        }

        // Scan OI points from scanFrom − w (to fill the windows) with monotonic deques for the window maxima;
        // flush onsets (condition true after false) are kept from scanFrom on.
        var loadFrom = scanFrom - w;
        var i0 = Search.UpperBound(oi.Ticks, nOi, loadFrom - 1);
        var b = bars.ClosedBy(loadFrom);
        var pool = ArrayPool<long>.Shared;
        var valuePool = ArrayPool<double>.Shared;
        var oiQ = new MaxQueue(pool.Rent(nOi - i0 + 1), valuePool.Rent(nOi - i0 + 1));
        var hiQ = new MaxQueue(pool.Rent(nBars - b + 1), valuePool.Rent(nBars - b + 1));
        int liqLo = 0, liqHi = 0;
        var prev = false;
        long flush = long.MinValue;
        double flushOiDrop = 0, flushPxDrop = 0, flushLiq = double.NaN, oiPre = 0, hPre = 0;
        var closeTicks = bars.CloseTicks;
        var highs = bars.High;
        for (var i = i0; i < nOi; i++)
        {
            var t = oi.Ticks[i];
            var v = oi.Value[i];
            if (!double.IsFinite(v)) continue;
            oiQ.Push(t, v);
            oiQ.DropBefore(t - w);            // OI window [t − w, t]
            while (b < nBars && closeTicks[b] <= t)
            {
                hiQ.Push(closeTicks[b], highs[b]);
                b++;
            }
            hiQ.DropBefore(t - w + 1);        // bars closing in (t − w, t]
            if (b == 0 || hiQ.IsEmpty)
            {
                prev = false;
                continue;
            }
            var maxOi = oiQ.Max;
            var maxHigh = hiQ.Max;
            var dOi = 1 - v / maxOi;
            var dPx = 1 - bars.Close[b - 1] / maxHigh;
            var cond = dOi >= oiDrop - Tolerance && dPx >= pxDrop - Tolerance;
            var liqSum = double.NaN;
            if (liqPrefix is not null)
            {
                while (liqHi < liqTimes.Length && liqTimes[liqHi] <= t) liqHi++;
                while (liqLo < liqHi && liqTimes[liqLo] <= t - w) liqLo++;
                liqSum = liqPrefix[liqHi] - liqPrefix[liqLo];
                cond = cond && liqSum > 0 && liqSum >= liqMult * liqBaseline;
            }
            if (cond && !prev && t >= scanFrom)
            {
                flush = t;
                flushOiDrop = dOi;
                flushPxDrop = dPx;
                flushLiq = liqSum;
                oiPre = maxOi;
                hPre = maxHigh;
            }
            prev = cond;
        }
        oiQ.Return(pool, valuePool);
        hiQ.Return(pool, valuePool);

        var oiNow = oi.Value[nOi - 1];
        var closeNow = bars.Close[nBars - 1];
        if (flush == long.MinValue)
        {
            evidence.Add(new Evidence("flushes in window", 0, "count"));
            evidence.Add(new Evidence("OI now", oiNow, unit));
            evidence.Add(new Evidence("close", closeNow, "price"));
            evidence.Add(new Evidence("rebuild window", Hours(rebuild), "h"));
            return new RuleResult(RuleKind.OiRebuild, false, 0, evidence, missing, Rearm: false, Evaluable: true);
        }

        var maxSince = double.NegativeInfinity;
        for (var k = Search.UpperBound(bars.OpenTicks, nBars, flush - 1); k < nBars; k++) maxSince = Math.Max(maxSince, highs[k]);
        var ratio = oiNow / oiPre;
        var ceiling = hPre * (1 - eps);
        var below = 1 - closeNow / hPre;
        var oiOk = ratio >= r - Tolerance;
        var priceOk = maxSince < ceiling;
        var fired = nowT > flush && oiOk && priceOk;
        var severity = fired ? Clip(Math.Min(1, (ratio - r) / (1 - r)) * (below >= 0.03 - Tolerance ? 1 : 0.5)) : 0;

        evidence.Add(new Evidence("flush time", new DateTimeOffset(flush, TimeSpan.Zero).ToUnixTimeSeconds(), "unix s"));
        evidence.Add(new Evidence("hours since flush", Hours(nowT - flush), "h"));
        evidence.Add(new Evidence("flush OI drop", flushOiDrop * 100, "%"));
        evidence.Add(new Evidence("flush price drop", flushPxDrop * 100, "%"));
        if (liqPrefix is not null)
        {
            evidence.Add(new Evidence("flush long liquidations", flushLiq, "USD"));
            evidence.Add(new Evidence("liquidation baseline", liqBaseline, "USD"));
        }
        evidence.Add(new Evidence("OIpre", oiPre, unit));
        evidence.Add(new Evidence("OI now", oiNow, unit));
        evidence.Add(new Evidence("OI/OIpre", ratio * 100, "%"));
        evidence.Add(new Evidence("r", r * 100, "%"));
        evidence.Add(new Evidence("Hpre", hPre, "price"));
        evidence.Add(new Evidence("max high since flush", maxSince, "price"));
        evidence.Add(new Evidence("ceiling Hpre(1-eps)", ceiling, "price"));
        evidence.Add(new Evidence("close", closeNow, "price"));
        evidence.Add(new Evidence("close below Hpre", below * 100, "%"));
        return new RuleResult(RuleKind.OiRebuild, fired, severity, evidence, missing, Rearm: closeNow > hPre, Evaluable: true)
        {
            Anchor = new DateTimeOffset(flush, TimeSpan.Zero),
        };
    }

    /// <summary>Tests switch the hourly pre-filter of the R1 flush scan off to compare with the full scan.</summary>
    internal static bool SkipFlushScan { get; set; } = true;

    // Conservative hourly pre-filter of the flush scan: a point t in hour (e − 1 h, e] can only flush if the hour's
    // lowest OI is ≤ (1 − oiDrop) × the highest OI of the hours ending in (e − 1 h − w, e] (a superset of its window),
    // and the lowest close of the last two hourly buckets up to e is ≤ (1 − pxDrop) × the highest hourly high of the
    // buckets ending in (e − 2 h − w, e]. False means no point from scanFrom to now can be a flush, so the 5-minute
    // scan is skipped; true runs the exact scan.
    private static bool MayHaveFlush(RuleInputs inputs, OiArrays oi, long scanFrom, long nowT, long w, double oiDrop, double pxDrop)
    {
        var bars = inputs.PerpHourly;
        var lastOi = Search.UpperBound(oi.HourEnd, oi.Hours, nowT + Hour - 1);     // hours that hold points ≤ now
        var lastBar = Search.UpperBound(bars.EndTicks, bars.Count, nowT + Hour - 1);
        var oiLo = Search.UpperBound(oi.HourEnd, lastOi, scanFrom - Hour - w);
        var barLo = Search.UpperBound(bars.EndTicks, lastBar, scanFrom - 2 * Hour - w);
        var first = Search.UpperBound(oi.HourEnd, lastOi, scanFrom);             // first hour ending after scanFrom holds points ≥ scanFrom
        var longs = ArrayPool<long>.Shared;
        var doubles = ArrayPool<double>.Shared;
        var oiQ = new MaxQueue(longs.Rent(lastOi - oiLo + 1), doubles.Rent(lastOi - oiLo + 1));
        var hiQ = new MaxQueue(longs.Rent(lastBar - barLo + 1), doubles.Rent(lastBar - barLo + 1));
        try
        {
            var j = barLo;
            for (var i = oiLo; i < lastOi; i++)
            {
                var e = oi.HourEnd[i];
                oiQ.Push(e, oi.HourMax[i]);
                oiQ.DropBefore(e - Hour - w + 1);
                while (j < lastBar && bars.EndTicks[j] <= e)
                {
                    hiQ.Push(bars.EndTicks[j], bars.High[j]);
                    j++;
                }
                hiQ.DropBefore(e - 2 * Hour - w + 1);
                if (i < first - 1 || hiQ.IsEmpty) continue;
                if (oi.HourMin[i] > (1 - oiDrop + Tolerance) * oiQ.Max) continue;
                var minClose = double.PositiveInfinity;
                // The close in force at t is in this hour's bucket or the last one before it, whatever its age.
                for (var k = j - 1; k >= Math.Max(0, j - 2); k--) minClose = Math.Min(minClose, bars.MinClose[k]);
                if (minClose <= (1 - pxDrop + Tolerance) * hiQ.Max) return true;
            }
            return false;
        }
        finally
        {
            oiQ.Return(longs, doubles);
            hiQ.Return(longs, doubles);
        }
    }

    // Median of the long-liquidation sums over consecutive windows of length w tiling the 30 days before now
    // (windows that end before the feed's first point are left out). NaN when the feed has no point.
    private static double LiquidationBaseline(long[] times, double[] prefix, long now, long w)
    {
        if (times.Length == 0) return double.NaN;
        var windows = (int)Math.Max(1, 30 * Day / w);
        var sums = new double[windows];
        var n = 0;
        for (var k = 0; k < windows; k++)
        {
            var end = now - k * w;
            if (end <= times[0]) break;
            var hi = Search.UpperBound(times, times.Length, end);
            var lo = Search.UpperBound(times, times.Length, end - w);
            sums[n++] = prefix[hi] - prefix[lo];
        }
        return SeriesMath.MedianInPlace(sums.AsSpan(0, n));
    }

    // ───────────────────────────── R2 ─────────────────────────────

    private static RuleResult HotFunding(RuleDefinition rule, RuleInputs inputs, DateTimeOffset now)
    {
        var fHi = rule["fHi"];
        var nFund = (int)rule["nFund"];
        var window = (long)(rule["window"] * Hour);
        var evidence = new List<Evidence>();
        var missing = new List<string>();
        var nowT = now.UtcTicks;

        // Funding run.
        var funding = inputs.Funding;
        var n = Search.UpTo(funding, nowT, static p => p.Time);
        bool? fundingOk = null;
        var latest = double.NaN;
        if (n < nFund)
        {
            missing.Add($"funding history has {n} of the {nFund} periods needed");
        }
        else if (nowT - funding[n - 1].Time.UtcTicks > window)
        {
            missing.Add($"latest funding is {Hours(nowT - funding[n - 1].Time.UtcTicks):0.#} h old (more than the {Hours(window):0.#} h window)");
        }
        else
        {
            latest = funding[n - 1].RatePer8h;
            var run = 0;
            for (var i = n - 1; i >= 0 && funding[i].RatePer8h >= fHi - Tolerance * fHi; i--) run++;
            fundingOk = run >= nFund;
            evidence.Add(new Evidence("fund8h now", latest * 100, "%"));
            evidence.Add(new Evidence("hot periods in a row", run, "count"));
            evidence.Add(new Evidence("fHi", fHi * 100, "%"));
            evidence.Add(new Evidence("nFund", nFund, "count"));
        }

        // Perp flow must lead.
        var from = nowT - window;
        var perp = inputs.PerpRaw(from).Flow(from, nowT);
        bool? perpLeads = null;
        if (perp.Available)
        {
            perpLeads = perp.Cvd > 0;
            evidence.Add(new Evidence("perp CVD", perp.Cvd, "USD"));
            if (perp.BarsWithoutTaker > 0) missing.Add($"perp taker volume missing on {perp.BarsWithoutTaker} of {perp.Bars} bars: CVD from the rest");
        }
        else
        {
            missing.Add(perp.Bars == 0
                ? "no perp bars in the flow window: perp-led flow cannot be confirmed"
                : "perp taker volume not given (NaN): perp CVD unavailable, perp-led flow cannot be confirmed");
        }

        // Spot must not lead: CVD ≤ 0, or taker-buy share ≤ 0.5, or (if available) Coinbase premium ≤ 0.
        bool? spotNotLeading = null;
        var spotCvd = double.NaN;
        if (inputs.SpotRaw(from) is not { } spotRaw)
        {
            missing.Add(inputs.CoinbasePremium is null
                ? "no spot bars and no Coinbase premium: spot lead cannot be checked"
                : "no spot bars: spot lead judged on the Coinbase premium alone");
        }
        else
        {
            var spot = spotRaw.Flow(from, nowT);
            if (spot.Available)
            {
                spotCvd = spot.Cvd;
                var share = spot.BuyShare;
                spotNotLeading = spotCvd <= 0 || share <= 0.5;
                evidence.Add(new Evidence("spot CVD", spotCvd, "USD"));
                evidence.Add(new Evidence("spot taker-buy share", share * 100, "%"));
                if (spot.BarsWithoutTaker > 0) missing.Add($"spot taker volume missing on {spot.BarsWithoutTaker} of {spot.Bars} bars: CVD from the rest");
            }
            else
            {
                missing.Add(spot.Bars == 0
                    ? "no spot bars in the flow window: spot CVD unavailable"
                    : "spot taker volume not given (NaN): spot CVD and taker share unavailable");
            }
        }
        if (inputs.CoinbasePremium is { } cb)
        {
            evidence.Add(new Evidence("Coinbase premium", cb * 100, "%"));
            spotNotLeading = spotNotLeading == true || cb <= 0;
        }

        var decided = And(fundingOk, spotNotLeading, perpLeads);
        if (decided is null) return NotEvaluable(RuleKind.HotFunding, evidence, missing);
        var fired = decided.Value;
        var severity = 0.0;
        if (fired)
        {
            var spotTerm = double.IsNaN(spotCvd) ? 0 : Math.Max(0, -spotCvd / Math.Abs(perp.Cvd));
            severity = Clip(Math.Min(1, latest / fHi - 1) * (1 + spotTerm) / 2);
        }
        return new RuleResult(RuleKind.HotFunding, fired, severity, evidence, missing,
            Rearm: double.IsFinite(latest) && latest < fHi, Evaluable: true);
    }

    // ───────────────────────────── R3 ─────────────────────────────

    private static RuleResult SupportLost(RuleDefinition rule, RuleInputs inputs, DateTimeOffset now)
    {
        var level = rule["level"];
        var sBuf = rule["sBuf"];
        var fast = rule["fast"];
        var evidence = new List<Evidence>();
        var missing = new List<string>();
        var nowT = now.UtcTicks;
        var hourly = inputs.PerpHourly;

        if (double.IsNaN(level))
        {
            if (SupportLevels.SwingLow(hourly, now, SupportLevels.DefaultWidth) is { } auto)
            {
                level = auto;
                missing.Add($"no level given: using the latest 7-day swing low {RuleText.Number(auto)}");
            }
            else
            {
                missing.Add("no level given and no 7-day swing low in the bars");
                return NotEvaluable(RuleKind.SupportLost, evidence, missing);
            }
        }
        evidence.Add(new Evidence("S", level, "price"));

        var m = hourly.CompleteBy(nowT);
        var threshold = level * (1 - sBuf);
        var fastThreshold = level * (1 - fast);
        bool? slow = null;
        var c2 = double.NaN;
        if (m >= 1 && nowT - hourly.EndTicks[m - 1] <= 2 * Hour)
        {
            c2 = hourly.Close[m - 1];
            evidence.Add(new Evidence("1 h close", c2, "price"));
            if (m >= 2 && hourly.EndTicks[m - 2] == hourly.EndTicks[m - 1] - Hour)
            {
                var c1 = hourly.Close[m - 2];
                evidence.Add(new Evidence("previous 1 h close", c1, "price"));
                slow = c1 < threshold && c2 < threshold;
            }
            else if (c2 >= threshold)
            {
                slow = false; // the latest close alone rules out two in a row
            }
        }
        evidence.Add(new Evidence("threshold S(1-sBuf)", threshold, "price"));
        if (slow is null) missing.Add("fewer than two consecutive complete 1-hour closes in the last 2 h");

        // 15-minute closes that completed in the last hour.
        var min15 = double.PositiveInfinity;
        var count15 = 0;
        var bars = inputs.PerpRaw(nowT - Hour);
        var q = TimeSpan.FromMinutes(15).Ticks;
        long lastBucket = long.MinValue;
        for (var i = bars.ClosedBy(nowT) - 1; i >= 0; i--)
        {
            var ct = bars.CloseTicks[i];
            if (ct <= nowT - Hour) break;
            var bucketEnd = ((ct - 1) / q + 1) * q;
            if (bucketEnd > nowT || bucketEnd == lastBucket) continue; // incomplete bucket, or not its last bar
            lastBucket = bucketEnd;
            min15 = Math.Min(min15, bars.Close[i]);
            count15++;
        }
        bool? fastHit = count15 > 0 ? min15 < fastThreshold : null;
        if (count15 > 0) evidence.Add(new Evidence("lowest 15 m close in the last hour", min15, "price"));
        else missing.Add("no complete 15-minute close in the last hour");
        evidence.Add(new Evidence("fast threshold S(1-fast)", fastThreshold, "price"));

        var decided = Or(slow, fastHit);
        if (decided is null) return NotEvaluable(RuleKind.SupportLost, evidence, missing);
        var severity = 0.0;
        if (slow == true) severity = Math.Max(severity, (level - c2) / (level * 0.03));
        if (fastHit == true) severity = Math.Max(severity, (level - min15) / (level * 0.03));
        var fired = decided.Value;
        return new RuleResult(RuleKind.SupportLost, fired, fired ? Clip(Math.Min(1, severity)) : 0, evidence, missing,
            Rearm: c2 > level * (1 + sBuf), Evaluable: true);
    }

    // ───────────────────────────── R4 ─────────────────────────────

    private static RuleResult BasisTightening(RuleDefinition rule, RuleInputs inputs, DateTimeOffset now)
    {
        var db = rule["db"];
        var nearHigh = rule["nearHigh"];
        var zPrem = rule["zPrem"];
        var evidence = new List<Evidence>();
        var missing = new List<string>();
        var nowT = now.UtcTicks;

        // Price within nearHigh of the 7-day high.
        bool? nearTop = null;
        var raw = inputs.PerpRaw(nowT - 7 * Day);
        var nBars = raw.ClosedBy(nowT);
        if (nBars > 0)
        {
            var close = raw.Close[nBars - 1];
            var high7 = MaxHigh(inputs, nowT - 7 * Day, nowT);
            var floor = high7 * (1 - nearHigh);
            nearTop = close >= floor - Tolerance * floor;
            evidence.Add(new Evidence("close", close, "price"));
            evidence.Add(new Evidence("7-day high", high7, "price"));
            evidence.Add(new Evidence("below 7-day high", (1 - close / high7) * 100, "%"));
            evidence.Add(new Evidence("nearHigh", nearHigh * 100, "%"));
        }
        else
        {
            missing.Add("no perp bars in the last 7 days: distance to the 7-day high unknown");
        }

        bool? tightening;
        double severity;
        bool rearm;
        if (inputs.Basis is { } basis)
        {
            (tightening, severity, rearm) = BasisPath(basis, nowT, db, evidence, missing);
        }
        else
        {
            missing.Add("no dated-futures basis: perp premium path (8-hour mean premium, robust z over 30 d)");
            (tightening, severity, rearm) = PremiumPath(inputs, nowT, zPrem, evidence, missing);
        }

        var decided = And(tightening, nearTop);
        if (decided is null) return NotEvaluable(RuleKind.BasisTightening, evidence, missing);
        var fired = decided.Value;
        return new RuleResult(RuleKind.BasisTightening, fired, fired ? Clip(severity) : 0, evidence, missing, rearm, Evaluable: true);
    }

    private static (bool? Tightening, double Severity, bool Rearm) BasisPath(IReadOnlyList<BasisPoint> basis, long nowT, double db, List<Evidence> evidence, List<string> missing)
    {
        var n = Search.UpTo(basis, nowT, static p => p.Time);
        if (n == 0)
        {
            missing.Add("no basis point up to now");
            return (null, 0, false);
        }
        var bNow = basis[n - 1].AnnualizedBasis;
        double sum = 0;
        var count = 0;
        for (var i = n - 1; i >= 0 && basis[i].Time.UtcTicks > nowT - 7 * Day; i--)
        {
            sum += basis[i].AnnualizedBasis;
            count++;
        }
        var mean7 = sum / count;
        var halfMean = mean7 > 0 && bNow <= 0.5 * mean7;
        evidence.Add(new Evidence("basis now", bNow * 100, "%"));
        evidence.Add(new Evidence("7-day mean basis", mean7 * 100, "%"));
        var i24 = Search.UpTo(basis, nowT - Day, static p => p.Time) - 1;
        var drop24 = double.NaN;
        if (i24 >= 0)
        {
            drop24 = (basis[i24].AnnualizedBasis - bNow) * 100;
            evidence.Add(new Evidence("basis 24 h ago", basis[i24].AnnualizedBasis * 100, "%"));
        }
        else
        {
            missing.Add("basis history shorter than 24 h: only the half-of-7-day-mean test applies");
        }
        evidence.Add(new Evidence("drop in 24 h", drop24, "pp"));
        evidence.Add(new Evidence("db", db, "pp"));
        var dropOk = drop24 >= db - Tolerance;
        bool? tightening = dropOk || halfMean ? true : i24 >= 0 ? false : null;
        var drop = dropOk ? drop24 : (mean7 - bNow) * 100;
        var rearm = !halfMean && (double.IsNaN(drop24) || drop24 < db / 2);
        return (tightening, Math.Min(1, drop / (2 * db)), rearm);
    }

    private static (bool? Tightening, double Severity, bool Rearm) PremiumPath(RuleInputs inputs, long nowT, double zPrem, List<Evidence> evidence, List<string> missing)
    {
        var h = inputs.PremiumHourly;
        var end = Search.UpperBound(h.EndTicks, h.Length, nowT);
        var start = Search.UpperBound(h.EndTicks, end, nowT - 30 * Day - 8 * Hour);
        if (end == 0 || nowT - h.EndTicks[end - 1] > 2 * Hour)
        {
            missing.Add("no premium samples in the last 2 h");
            return (null, 0, false);
        }
        // 8-hour mean premium at each hour end in the 30 days before now (two pointers over sparse hours).
        var size = end - start;
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(1, size));
        try
        {
            var count = 0;
            double sum = 0;
            var samples = 0;
            var lo = start;
            var x = double.NaN;
            for (var i = start; i < end; i++)
            {
                sum += h.Sum[i];
                samples += h.Count[i];
                while (h.EndTicks[lo] <= h.EndTicks[i] - 8 * Hour)
                {
                    sum -= h.Sum[lo];
                    samples -= h.Count[lo];
                    lo++;
                }
                if (h.EndTicks[i] <= nowT - 30 * Day || samples == 0) continue;
                x = sum / samples;
                buffer[count++] = x;
            }
            var coveredHours = Hours(h.EndTicks[end - 1] - h.EndTicks[start]) + 1;
            evidence.Add(new Evidence("8 h mean premium", x * 100, "%"));
            if (count < 168)
            {
                missing.Add($"premium history gives {count} hourly 8-hour means, fewer than the 168 (7 days) needed for a z-score");
                return (null, 0, false);
            }
            if (coveredHours < 30 * 24 - 1) missing.Add($"premium baseline covers {coveredHours / 24:0.#} of 30 days");
            var z = SeriesMath.RobustZInPlace(x, buffer.AsSpan(0, count));
            evidence.Add(new Evidence("premium z (30 d)", z, "z"));
            evidence.Add(new Evidence("zPrem", zPrem, "z"));
            var hit = z <= zPrem;
            // Spec silent for perps: 0.5 at the threshold, 1 at twice the threshold.
            var severity = Math.Min(1, 0.5 + (zPrem - z) / (2 * Math.Abs(zPrem)));
            return (hit, severity, z > zPrem / 2);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    // Max high over (from, to]: complete hourly buckets wholly inside, raw bars for the partial edges.
    private static double MaxHigh(RuleInputs inputs, long from, long to)
    {
        var h = inputs.PerpHourly;
        var end = h.CompleteBy(to);
        var start = Search.UpperBound(h.EndTicks, end, from + Hour - 1); // first bucket starting at or after from
        var max = double.NegativeInfinity;
        for (var i = start; i < end; i++) max = Math.Max(max, h.High[i]);
        var coveredFrom = start < end ? h.EndTicks[start] - Hour : to;
        var coveredTo = start < end ? h.EndTicks[end - 1] : to;
        var bars = inputs.PerpRaw(from);
        for (var i = bars.ClosedBy(from); i < bars.Count && bars.CloseTicks[i] <= coveredFrom; i++) max = Math.Max(max, bars.High[i]);
        for (var i = bars.ClosedBy(to) - 1; i >= 0 && bars.CloseTicks[i] > coveredTo; i--) max = Math.Max(max, bars.High[i]);
        return max;
    }

    // ───────────────────────────── R5 ─────────────────────────────

    /// <summary>
    /// The R5 predicate on already computed statistics: fires when <c>ZPerp ≥ zPerp</c>, <c>ZSpot ≤ zSpot</c> and
    /// <c>Ratio ≥ ratioMult × RatioMedian</c>; severity <c>min(1, (ZPerp − 3)/3 + 0.5)</c> clipped to [0, 1] (with
    /// the rule's zPerp in place of 3). Re-arms when <c>ZPerp</c> is back under zPerp.
    /// </summary>
    public static RuleResult PerpVolumeSpike(RuleDefinition rule, VolumeSpikeStats stats) =>
        PerpVolumeSpike(rule, stats, [], []);

    private static RuleResult PerpVolumeSpike(RuleDefinition rule, VolumeSpikeStats stats, List<Evidence> evidence, List<string> missing)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Kind != RuleKind.PerpVolumeSpike) throw new ArgumentException($"Expected an R5 rule, got {RuleKinds.Code(rule.Kind)}.", nameof(rule));
        var zPerp = rule["zPerp"];
        var zSpot = rule["zSpot"];
        var mult = rule["ratioMult"];
        evidence.Add(new Evidence("perp volume z", stats.ZPerp, "z"));
        evidence.Add(new Evidence("zPerp", zPerp, "z"));
        evidence.Add(new Evidence("spot volume z", stats.ZSpot, "z"));
        evidence.Add(new Evidence("zSpot", zSpot, "z"));
        evidence.Add(new Evidence("perp/spot ratio", stats.Ratio, "x"));
        evidence.Add(new Evidence("30-day median ratio", stats.RatioMedian, "x"));
        evidence.Add(new Evidence("ratio threshold", mult * stats.RatioMedian, "x"));
        if (double.IsNaN(stats.ZPerp) || double.IsNaN(stats.ZSpot) || double.IsNaN(stats.Ratio) || double.IsNaN(stats.RatioMedian))
        {
            missing.Add("a volume statistic is not available");
            return NotEvaluable(RuleKind.PerpVolumeSpike, evidence, missing);
        }
        var fired = stats.ZPerp >= zPerp && stats.ZSpot <= zSpot && stats.Ratio >= mult * stats.RatioMedian - Tolerance;
        var severity = fired ? Clip(Math.Min(1, (stats.ZPerp - zPerp) / 3 + 0.5)) : 0;
        return new RuleResult(RuleKind.PerpVolumeSpike, fired, severity, evidence, missing, Rearm: stats.ZPerp < zPerp, Evaluable: true);
    }

    private static RuleResult PerpVolumeSpike(RuleDefinition rule, RuleInputs inputs, DateTimeOffset now)
    {
        var evidence = new List<Evidence>();
        var missing = new List<string>();
        var spot = inputs.SpotHourly;
        if (spot is null)
        {
            missing.Add("no spot bars: spot calm and the perp/spot ratio cannot be checked");
            return NotEvaluable(RuleKind.PerpVolumeSpike, evidence, missing);
        }
        var stats = VolumeStats(inputs.PerpHourly, spot, now.UtcTicks, missing);
        if (stats is null) return NotEvaluable(RuleKind.PerpVolumeSpike, evidence, missing);
        return PerpVolumeSpike(rule, stats.Value, evidence, missing);
    }

    /// <summary>
    /// The R5 statistics at the latest hour complete by <paramref name="now"/> (UTC hours; volumes in base units),
    /// or null with the reason when the history is too short: the hour-of-day baselines need the 14 days before
    /// the hour, with at least 10 of the 14 same-hour samples present in both series.
    /// </summary>
    public static VolumeSpikeStats? VolumeStats(RuleInputs inputs, DateTimeOffset now, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.SpotHourly is not { } spot)
        {
            reason = "no spot bars";
            return null;
        }
        var missing = new List<string>();
        var stats = VolumeStats(inputs.PerpHourly, spot, now.UtcTicks, missing);
        reason = missing.Count > 0 ? string.Join("; ", missing) : null;
        return stats;
    }

    private static VolumeSpikeStats? VolumeStats(BarSeries perp, BarSeries spot, long nowT, List<string> missing)
    {
        var np = perp.CompleteBy(nowT);
        var ns = spot.CompleteBy(nowT);
        if (np == 0 || ns == 0)
        {
            missing.Add(np == 0 ? "no complete perp hour" : "no complete spot hour");
            return null;
        }
        var hourEnd = perp.EndTicks[np - 1];
        if (nowT - hourEnd > 2 * Hour)
        {
            missing.Add($"latest complete perp hour ended {Hours(nowT - hourEnd):0.#} h ago");
            return null;
        }
        var si = spot.IndexOf(hourEnd, ns);
        if (si < 0)
        {
            missing.Add("spot has no bar for the latest perp hour");
            return null;
        }
        var history = Math.Min(hourEnd - perp.EndTicks[0], hourEnd - spot.EndTicks[0]);
        if (history < 14 * Day)
        {
            missing.Add($"volume history is {Hours(history) / 24:0.#} days; the hour-of-day baseline needs 14");
            return null;
        }
        Span<double> perpBase = stackalloc double[14];
        Span<double> spotBase = stackalloc double[14];
        int cp = 0, cs = 0;
        for (var d = 1; d <= 14; d++)
        {
            var key = hourEnd - d * Day;
            var ip = perp.IndexOf(key, np);
            if (ip >= 0) perpBase[cp++] = perp.Volume[ip];
            var js = spot.IndexOf(key, ns);
            if (js >= 0) spotBase[cs++] = spot.Volume[js];
        }
        if (cp < 10 || cs < 10)
        {
            missing.Add($"hour-of-day baseline has {cp} perp and {cs} spot samples of 14 (10 needed)");
            return null;
        }
        var zPerp = SeriesMath.RobustZInPlace(perp.Volume[np - 1], perpBase[..cp]);
        var zSpot = SeriesMath.RobustZInPlace(spot.Volume[si], spotBase[..cs]);

        // Ratio median over the 30 days up to this hour: merge the two hourly series on their bucket ends.
        var from = hourEnd - 30 * Day;
        var p = Search.UpperBound(perp.EndTicks, np, from);
        var s = Search.UpperBound(spot.EndTicks, ns, from);
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(1, np - p));
        try
        {
            var count = 0;
            while (p < np && s < ns)
            {
                var a = perp.EndTicks[p];
                var c = spot.EndTicks[s];
                if (a < c) p++;
                else if (c < a) s++;
                else
                {
                    if (spot.Volume[s] > 0 && double.IsFinite(perp.Volume[p])) buffer[count++] = perp.Volume[p] / spot.Volume[s];
                    p++;
                    s++;
                }
            }
            if (history + Hour < 30 * Day) missing.Add($"ratio median over {Hours(history + Hour) / 24:0.#} of 30 days");
            var median = SeriesMath.MedianInPlace(buffer.AsSpan(0, count));
            var ratio = spot.Volume[si] > 0 ? perp.Volume[np - 1] / spot.Volume[si] : double.PositiveInfinity;
            return new VolumeSpikeStats(zPerp, zSpot, ratio, median);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    // ───────────────────────────── shared ─────────────────────────────

    private static RuleResult NotEvaluable(RuleKind kind, List<Evidence> evidence, List<string> missing) =>
        new(kind, false, 0, evidence, missing, Rearm: false, Evaluable: false);

    // Three-valued AND: false if any is known false, null if any is unknown, else true.
    private static bool? And(params ReadOnlySpan<bool?> values)
    {
        var unknown = false;
        foreach (var v in values)
        {
            if (v == false) return false;
            if (v is null) unknown = true;
        }
        return unknown ? null : true;
    }

    // Three-valued OR: true if any is known true, null if any is unknown, else false.
    private static bool? Or(params ReadOnlySpan<bool?> values)
    {
        var unknown = false;
        foreach (var v in values)
        {
            if (v == true) return true;
            if (v is null) unknown = true;
        }
        return unknown ? null : false;
    }

    private static double Clip(double x) => double.IsNaN(x) ? 0 : Math.Clamp(x, 0, 1);

    private static double Hours(long ticks) => (double)ticks / Hour;

    /// <summary>Maximum over a sliding time window: a monotonic deque of (time, value) on pooled arrays.</summary>
    private struct MaxQueue(long[] times, double[] values)
    {
        private int _head;
        private int _tail;

        public readonly bool IsEmpty => _head == _tail;
        public readonly double Max => values[_head];

        public void Push(long time, double value)
        {
            while (_tail > _head && values[_tail - 1] <= value) _tail--;
            times[_tail] = time;
            values[_tail++] = value;
        }

        /// <summary>Drops entries older than <paramref name="time"/> (keeps time ≥ it).</summary>
        public void DropBefore(long time)
        {
            while (_head < _tail && times[_head] < time) _head++;
        }

        public readonly void Return(ArrayPool<long> longs, ArrayPool<double> doubles)
        {
            longs.Return(times);
            doubles.Return(values);
        }
    }
}
