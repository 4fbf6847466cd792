using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Probability;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Portfolio;

/// <summary>
/// Probability that each position, the cross account, or anything at all is liquidated within a horizon, by Monte
/// Carlo over joint log-price paths (risk-model §d.3.2). Every asset moves by a zero-drift step each
/// <see cref="MonteCarloSettings.StepMinutes"/>; liquidations are checked at every step, as a mark is.
/// <list type="bullet">
/// <item>Isolated positions: the liquidation price from <see cref="LiquidationEngine.LiquidationPrice"/>, as a barrier in
/// log space, so the check is one comparison.</item>
/// <item>The cross account: with linear positions, equity − requirement is linear in prices,
/// <c>K + Σ w_a·S_a</c>, with each position's maintenance rate and amount fixed at the bracket of its notional at the
/// start (the stress test uses the bracket at each shocked price; within a day's moves the bracket rarely changes,
/// and a continuous schedule makes the difference small when it does).</item>
/// <item>Normal and StudentT: drift −σ²/2 per unit time, so prices are martingales (for t to second order);
/// Bootstrap: one random time row per step, all assets at once.</item>
/// </list>
/// </summary>
public static class PortfolioMonteCarlo
{
    /// <summary>Paths per block; each block has its own seed, which is what makes results independent of threads.</summary>
    public const int BlockPaths = 1024;

    /// <summary>At most this many isolated positions (a user keeps at most 50).</summary>
    public const int MaxIsolatedPositions = 64;

    /// <summary>Runs the simulation.</summary>
    /// <exception cref="ArgumentException">The portfolio, model or settings are inconsistent (the message says which part).</exception>
    public static MonteCarloResult Run(Portfolio portfolio, MarketModel model, MonteCarloSettings settings)
    {
        var plan = new Plan(portfolio, model, settings);
        var blocks = (settings.Paths + BlockPaths - 1) / BlockPaths;
        var counts = new int[blocks][];
        void RunBlock(int b)
        {
            var paths = Math.Min(BlockPaths, settings.Paths - b * BlockPaths);
            counts[b] = plan.Bootstrap is null ? plan.RunParametric(BlockSeed(settings.Seed, b), paths) : plan.RunBootstrap(BlockSeed(settings.Seed, b), paths);
        }
        if (settings.Parallelism > 1 && blocks > 1)
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism }, RunBlock);
        else
            for (var b = 0; b < blocks; b++) RunBlock(b);

        var total = new long[plan.CounterCount];
        foreach (var c in counts)
            for (var k = 0; k < total.Length; k++) total[k] += c[k];
        return plan.Result(total, settings.Paths);
    }

    private static ulong BlockSeed(ulong seed, int block)
    {
        var x = seed ^ (0xD1B54A32D192ED03UL * (ulong)(block + 1));
        return Xoshiro256.SplitMix64(ref x);
    }

    /// <summary>Everything precomputed for the inner loop: per-step scales, the Cholesky factor, barriers, account weights.</summary>
    private sealed class Plan
    {
        private const int Lanes = 4;           // Vector256<double>
        private readonly int _assets;          // simulated assets (those held)
        private readonly int _width;           // _assets rounded up to whole vectors; padding lanes never move
        private readonly int _steps;
        private readonly double[] _drift;      // per asset per step
        private readonly double[] _columns;    // column k of (Cholesky factor × σ√Δt) at k·_width, padded with zeros
        private readonly IncrementTable? _table;

        private readonly int _isolated;
        private readonly int[] _isoAsset;
        private readonly bool[] _isoLong;
        private readonly double[] _isoLevel;   // ln(L/S0): a long is hit at x ≤ it, a short at x ≥ it
        private readonly double[] _lowBarrier = [];  // per asset, the nearest long barrier (−∞ if none) …
        private readonly double[] _highBarrier = []; // … and the nearest short barrier (+∞ if none)
        private readonly ulong _liveMask;      // can still be hit
        private readonly ulong _hitAtStart;    // already beyond the price (or below maintenance everywhere)

        private readonly bool _accountLive;
        private readonly bool _accountHitAtStart;
        private double _k;                     // equity − requirement = K + Σ w_a·exp(x_a)
        private readonly double[] _weight;

        private readonly int[] _positionSlot;  // isolated index, or −1 for cross

        public double[]? Bootstrap { get; }    // per row: the A demeaned returns, then their exponentials
        private readonly int _rows;

        public int CounterCount => _isolated + 2;

        public Plan(Portfolio portfolio, MarketModel model, MonteCarloSettings settings)
        {
            var positions = PortfolioValidation.Validate(portfolio);
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(settings);
            ValidateSettings(settings);
            var modelIndex = ValidateModel(model);

            // Simulated assets: those held, in order of first appearance.
            var simulated = new List<int>();
            var assetOf = new int[positions.Length];
            for (var i = 0; i < positions.Length; i++)
            {
                if (!modelIndex.TryGetValue(positions[i].Asset, out var m))
                    throw new ArgumentException($"Position '{positions[i].Id}': asset '{positions[i].Asset}' is not in the market model.", nameof(model));
                var a = simulated.IndexOf(m);
                if (a < 0) { a = simulated.Count; simulated.Add(m); }
                assetOf[i] = a;
            }
            _assets = simulated.Count;
            _width = (_assets + Lanes - 1) / Lanes * Lanes;
            var stepYears = settings.StepMinutes / (HitProbability.DaysPerYear * 24 * 60);
            _steps = (int)Math.Ceiling(settings.HorizonHours * 60 / settings.StepMinutes - 1e-9);

            if (settings.Increments == Increments.Bootstrap)
            {
                (Bootstrap, _rows) = PrepareBootstrap(model, settings, [.. simulated]);
                _drift = []; _columns = [];
            }
            else
            {
                var nu = settings.DegreesOfFreedom;
                _table = settings.Increments == Increments.Normal
                    ? IncrementTable.Create(v => -Quantiles.InverseNormal(v))
                    : IncrementTable.Create(v => Quantiles.StudentUpperQuantile(v, nu) * Math.Sqrt((nu - 2) / nu));
                _drift = new double[_width];
                _columns = new double[_assets * _width];
                var cholesky = Cholesky(model.Correlation, [.. simulated]);
                for (var a = 0; a < _assets; a++)
                {
                    var sigma = model.Volatility[simulated[a]];
                    _drift[a] = -sigma * sigma * stepYears / 2;
                    for (var k = 0; k <= a; k++) _columns[k * _width + a] = cholesky[a * _assets + k] * sigma * Math.Sqrt(stepYears);
                }
            }

            // Isolated barriers and the cross account's linear form.
            _positionSlot = new int[positions.Length];
            var isoAsset = new List<int>();
            var isoLong = new List<bool>();
            var isoLevel = new List<double>();
            _weight = new double[_width];
            _k = portfolio.CrossWallet;
            var anyCross = false;
            for (var i = 0; i < positions.Length; i++)
            {
                var p = positions[i];
                if (p.Terms.Mode == MarginMode.Cross)
                {
                    _positionSlot[i] = -1;
                    anyCross = true;
                    AddToAccount(p, assetOf[i]);
                    continue;
                }
                var j = isoAsset.Count;
                if (j == MaxIsolatedPositions) throw new ArgumentException($"At most {MaxIsolatedPositions} isolated positions can be simulated.", nameof(portfolio));
                _positionSlot[i] = j;
                var sign = p.Terms.Side == PositionSide.Long ? 1.0 : -1.0;
                isoAsset.Add(assetOf[i]);
                isoLong.Add(sign > 0);
                var level = LiquidationEngine.LiquidationPrice(p.Terms);
                switch (level.Kind)
                {
                    case PriceLevelKind.AtPrice when sign * p.Mark > sign * level.RawValue:
                        isoLevel.Add(Math.Log(level.RawValue / p.Mark));
                        _liveMask |= 1UL << j;
                        break;
                    case PriceLevelKind.AtPrice or PriceLevelKind.BreachedEverywhere:
                        isoLevel.Add(double.NaN);
                        _hitAtStart |= 1UL << j;
                        break;
                    default:
                        isoLevel.Add(double.NaN);
                        break;
                }
            }
            _isolated = isoAsset.Count;
            (_isoAsset, _isoLong, _isoLevel) = ([.. isoAsset], [.. isoLong], [.. isoLevel]);
            _lowBarrier = new double[_width];
            _highBarrier = new double[_width];
            Array.Fill(_lowBarrier, double.NegativeInfinity);
            Array.Fill(_highBarrier, double.PositiveInfinity);
            for (var m = _liveMask; m != 0; m &= m - 1)
            {
                var j = BitOperations.TrailingZeroCount(m);
                if (_isoLong[j]) _lowBarrier[_isoAsset[j]] = Math.Max(_lowBarrier[_isoAsset[j]], _isoLevel[j]);
                else _highBarrier[_isoAsset[j]] = Math.Min(_highBarrier[_isoAsset[j]], _isoLevel[j]);
            }
            if (anyCross)
            {
                _accountHitAtStart = _k + _weight.Sum() <= 0;
                _accountLive = !_accountHitAtStart;
            }
        }

        /// <summary>
        /// Adds a cross position to <c>K + Σ w_a·S_a/S_a(0)</c>: PnL is linear (its value at 0 and its slope from the
        /// engine), maintenance is linear with the start brackets: <c>MM(p) = (MM(S0) + amount)·p/S0 − amount</c>.
        /// </summary>
        private void AddToAccount(PortfolioPosition p, int asset)
        {
            var terms = p.Terms;
            var pnlAtZero = LiquidationEngine.UnrealizedPnl(terms, 0);
            var pnlSlope = (LiquidationEngine.UnrealizedPnl(terms, p.Mark) - pnlAtZero) / p.Mark;
            var amount = LiquidationEngine.TierAt(terms, p.Mark).MaintenanceAmount;
            foreach (var leg in terms.HedgeLegs ?? [])
                amount += terms.Maintenance.At(ContractType.Linear, leg.Quantity, 1, p.Mark).MaintenanceAmount;
            var mmSlope = (LiquidationEngine.MaintenanceMargin(terms, p.Mark) + amount) / p.Mark;
            _k += pnlAtZero + amount;
            _weight[asset] += (pnlSlope - mmSlope) * p.Mark;
        }

        /// <summary>One block of paths with table-drawn Normal or Student-t increments.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int[] RunParametric(ulong seed, int paths)
        {
            var counts = new int[CounterCount];
            var rng = new Xoshiro256(seed);
            ref var bins = ref MemoryMarshal.GetArrayDataReference(_table!.Bins);
            var n = _assets;
            var width = _width;
            var steps = _steps;
            var k0 = _k;
            ref var columns = ref MemoryMarshal.GetArrayDataReference(_columns);
            ref var drift = ref MemoryMarshal.GetArrayDataReference(_drift);
            ref var weight = ref MemoryMarshal.GetArrayDataReference(_weight);
            Span<double> z = stackalloc double[n];
            Span<double> x = stackalloc double[width];
            Span<double> ratio = stackalloc double[width];
            Span<double> lo = stackalloc double[width];
            Span<double> hi = stackalloc double[width];
            Span<double> sum = stackalloc double[Lanes];
            ref var xs = ref MemoryMarshal.GetReference(x);
            ref var rs = ref MemoryMarshal.GetReference(ratio);
            ref var los = ref MemoryMarshal.GetReference(lo);
            ref var his = ref MemoryMarshal.GetReference(hi);
            for (var path = 0; path < paths; path++)
            {
                x.Clear();
                ratio.Fill(1);
                _lowBarrier.CopyTo(lo);
                _highBarrier.CopyTo(hi);
                var alive = _liveMask;
                var account = _accountLive;
                for (var step = 0; step < steps; step++)
                {
                    for (var a = 0; a < z.Length; a++) z[a] = IncrementTable.Sample(ref bins, rng.Next());
                    var crossed = Vector256<double>.Zero;
                    var surplus = Vector256<double>.Zero;
                    for (var v = 0; v < width; v += Lanes)
                    {
                        // increment = drift + Σ_k z_k·(column k of the scaled Cholesky factor), 4 assets at a time;
                        // the factor is lower triangular, so columns beyond these rows are zero here.
                        var increment = Vector256.LoadUnsafe(ref drift, (nuint)v);
                        var columnsHere = Math.Min(z.Length, v + Lanes);
                        for (var k = 0; k < columnsHere; k++)
                            increment += Vector256.Create(z[k]) * Vector256.LoadUnsafe(ref columns, (nuint)(k * width + v));
                        var xv = Vector256.LoadUnsafe(ref xs, (nuint)v) + increment;
                        xv.StoreUnsafe(ref xs, (nuint)v);
                        crossed |= Vector256.LessThanOrEqual(xv, Vector256.LoadUnsafe(ref los, (nuint)v))
                            | Vector256.GreaterThanOrEqual(xv, Vector256.LoadUnsafe(ref his, (nuint)v));
                        if (account)
                        {
                            var r = Vector256.LoadUnsafe(ref rs, (nuint)v) * Exp(increment);
                            r.StoreUnsafe(ref rs, (nuint)v);
                            surplus += Vector256.LoadUnsafe(ref weight, (nuint)v) * r;
                        }
                    }
                    if (Vector256.ExtractMostSignificantBits(crossed) != 0) Trigger(x, lo, hi, ref alive);
                    if (account)
                    {
                        if (k0 + Sum(surplus, sum) <= 0) account = false;
                    }
                    else if (alive == 0) break;
                }
                Count(counts, alive, account);
            }
            return counts;
        }

        /// <summary>One block of paths drawing one whole history row per step.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int[] RunBootstrap(ulong seed, int paths)
        {
            var counts = new int[CounterCount];
            var rng = new Xoshiro256(seed);
            var width = _width;
            var rowWidth = 2 * width;
            var rows = (ulong)_rows;
            var steps = _steps;
            var k0 = _k;
            ref var table = ref MemoryMarshal.GetArrayDataReference(Bootstrap!);
            ref var weight = ref MemoryMarshal.GetArrayDataReference(_weight);
            Span<double> x = stackalloc double[width];
            Span<double> ratio = stackalloc double[width];
            Span<double> lo = stackalloc double[width];
            Span<double> hi = stackalloc double[width];
            Span<double> sum = stackalloc double[Lanes];
            ref var xs = ref MemoryMarshal.GetReference(x);
            ref var rs = ref MemoryMarshal.GetReference(ratio);
            ref var los = ref MemoryMarshal.GetReference(lo);
            ref var his = ref MemoryMarshal.GetReference(hi);
            for (var path = 0; path < paths; path++)
            {
                x.Clear();
                ratio.Fill(1);
                _lowBarrier.CopyTo(lo);
                _highBarrier.CopyTo(hi);
                var alive = _liveMask;
                var account = _accountLive;
                for (var step = 0; step < steps; step++)
                {
                    // A row holds the demeaned returns of every asset (padded to whole vectors), then their exponentials.
                    ref var row = ref Unsafe.Add(ref table, (nint)((((rng.Next() >> 32) * rows) >> 32) * (ulong)rowWidth));
                    var crossed = Vector256<double>.Zero;
                    var surplus = Vector256<double>.Zero;
                    for (var v = 0; v < width; v += Lanes)
                    {
                        var xv = Vector256.LoadUnsafe(ref xs, (nuint)v) + Vector256.LoadUnsafe(ref row, (nuint)v);
                        xv.StoreUnsafe(ref xs, (nuint)v);
                        crossed |= Vector256.LessThanOrEqual(xv, Vector256.LoadUnsafe(ref los, (nuint)v))
                            | Vector256.GreaterThanOrEqual(xv, Vector256.LoadUnsafe(ref his, (nuint)v));
                        if (account)
                        {
                            var r = Vector256.LoadUnsafe(ref rs, (nuint)v) * Vector256.LoadUnsafe(ref row, (nuint)(width + v));
                            r.StoreUnsafe(ref rs, (nuint)v);
                            surplus += Vector256.LoadUnsafe(ref weight, (nuint)v) * r;
                        }
                    }
                    if (Vector256.ExtractMostSignificantBits(crossed) != 0) Trigger(x, lo, hi, ref alive);
                    if (account)
                    {
                        if (k0 + Sum(surplus, sum) <= 0) account = false;
                    }
                    else if (alive == 0) break;
                }
                Count(counts, alive, account);
            }
            return counts;
        }

        /// <summary>Lane sum in a fixed order (a hardware horizontal add may associate differently on another machine).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double Sum(Vector256<double> v, Span<double> scratch)
        {
            v.CopyTo(scratch);
            return scratch[0] + scratch[1] + (scratch[2] + scratch[3]);
        }

        /// <summary>
        /// exp of one step's increments, short in latency because it sits on every step's path: a degree-4 polynomial in
        /// Estrin form when every |x| ≤ 1/64 (relative error x⁵/120: 8e-12 at the edge, 3e-16 for a typical 0.2% step,
        /// so well below 1e-8 over 1,440 steps; plain IEEE multiplies and adds, identical on every machine), the
        /// runtime's exp lane by lane otherwise (a 1.6% move in one step: rare).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Exp(Vector256<double> x)
        {
            if (!Vector256.LessThanOrEqualAll(Vector256.Abs(x), Vector256.Create(1.0 / 64))) return ExpLanes(x);
            var x2 = x * x;
            var high = Vector256.Create(0.5) + x * Vector256.Create(1.0 / 6) + x2 * Vector256.Create(1.0 / 24);
            return Vector256<double>.One + x + x2 * high;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Vector256<double> ExpLanes(Vector256<double> x) =>
            Vector256.Create(Math.Exp(x[0]), Math.Exp(x[1]), Math.Exp(x[2]), Math.Exp(x[3]));

        /// <summary>
        /// Slow path, taken when some asset crossed its nearest barrier: liquidates the positions whose barrier was
        /// crossed and recomputes the nearest remaining barriers of every asset.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Trigger(Span<double> x, Span<double> lo, Span<double> hi, ref ulong alive)
        {
            for (var m = alive; m != 0; m &= m - 1)
            {
                var j = BitOperations.TrailingZeroCount(m);
                var xa = x[_isoAsset[j]];
                if (_isoLong[j] ? xa <= _isoLevel[j] : xa >= _isoLevel[j]) alive &= ~(1UL << j);
            }
            lo.Fill(double.NegativeInfinity);
            hi.Fill(double.PositiveInfinity);
            for (var m = alive; m != 0; m &= m - 1)
            {
                var j = BitOperations.TrailingZeroCount(m);
                var a = _isoAsset[j];
                if (_isoLong[j]) lo[a] = Math.Max(lo[a], _isoLevel[j]);
                else hi[a] = Math.Min(hi[a], _isoLevel[j]);
            }
        }

        private void Count(int[] counts, ulong alive, bool account)
        {
            var hit = (_liveMask & ~alive) | _hitAtStart;
            var accountHit = _accountHitAtStart || (_accountLive && !account);
            for (var m = hit; m != 0; m &= m - 1) counts[BitOperations.TrailingZeroCount(m)]++;
            if (accountHit) counts[_isolated]++;
            if (hit != 0 || accountHit) counts[_isolated + 1]++;
        }

        public MonteCarloResult Result(long[] total, int paths)
        {
            double P(long count) => (double)count / paths;
            double Se(double p) => Math.Sqrt(p * (1 - p) / paths);
            var account = P(total[_isolated]);
            var per = new double[_positionSlot.Length];
            var perSe = new double[per.Length];
            for (var i = 0; i < per.Length; i++)
            {
                per[i] = _positionSlot[i] < 0 ? account : P(total[_positionSlot[i]]);
                perSe[i] = Se(per[i]);
            }
            var any = P(total[_isolated + 1]);
            return new MonteCarloResult(paths, any, Se(any), per, perSe, account, Se(account));
        }

        private static (double[] Rows, int Count) PrepareBootstrap(MarketModel model, MonteCarloSettings settings, int[] simulated)
        {
            var history = model.History ?? throw new ArgumentException("A bootstrap needs the model's History.", nameof(model));
            if (history.Length != model.Assets.Count) throw new ArgumentException("History needs one series per model asset.", nameof(model));
            foreach (var series in history)
                if (series is null || series.Length != history[0].Length) throw new ArgumentException("History series must be aligned (same length).", nameof(model));
            if (Math.Abs(model.HistoryStep.TotalMinutes - settings.StepMinutes) > 1e-9)
                throw new ArgumentException($"A bootstrap replays {model.HistoryStep.TotalMinutes} min returns, so StepMinutes must be {model.HistoryStep.TotalMinutes}, not {settings.StepMinutes}.", nameof(settings));
            var rows = MarketModel.CompleteRows(history, simulated);
            if (rows.Length == 0) throw new ArgumentException("History has no time row with every held asset finite.", nameof(model));
            var n = simulated.Length;
            var width = (n + Lanes - 1) / Lanes * Lanes;
            var table = new double[rows.Length * 2 * width];
            for (var a = 0; a < n; a++)
            {
                var series = history[simulated[a]];
                var shift = 0.0;
                if (settings.DemeanBootstrap)
                {
                    // log E[exp(r)], computed around the mean for accuracy.
                    var mean = rows.Average(t => series[t]);
                    shift = mean + Math.Log(rows.Average(t => Math.Exp(series[t] - mean)));
                }
                for (var k = 0; k < rows.Length; k++)
                {
                    var r = series[rows[k]] - shift;
                    table[k * 2 * width + a] = r;
                    table[k * 2 * width + width + a] = Math.Exp(r);
                }
            }
            return (table, rows.Length);
        }

        private static void ValidateSettings(MonteCarloSettings s)
        {
            if (s.Paths < 1) throw new ArgumentException("Paths must be at least 1.", nameof(s));
            if (!(s.HorizonHours > 0) || !double.IsFinite(s.HorizonHours)) throw new ArgumentException("HorizonHours must be finite and above zero.", nameof(s));
            if (!(s.StepMinutes > 0) || !(s.StepMinutes <= s.HorizonHours * 60)) throw new ArgumentException("StepMinutes must be above zero and within the horizon.", nameof(s));
            if (s.HorizonHours * 60 / s.StepMinutes > int.MaxValue / 2) throw new ArgumentException("Too many steps.", nameof(s));
            if (s.Increments == Increments.StudentT && (!(s.DegreesOfFreedom > 2) || !double.IsFinite(s.DegreesOfFreedom)))
                throw new ArgumentException("DegreesOfFreedom must be finite and above 2 (the variance must exist).", nameof(s));
            if (s.Parallelism < 1) throw new ArgumentException("Parallelism must be at least 1.", nameof(s));
        }

        private static Dictionary<string, int> ValidateModel(MarketModel model)
        {
            ArgumentNullException.ThrowIfNull(model.Assets, nameof(model));
            ArgumentNullException.ThrowIfNull(model.Volatility, nameof(model));
            ArgumentNullException.ThrowIfNull(model.Correlation, nameof(model));
            var n = model.Assets.Count;
            if (model.Volatility.Length != n || model.Correlation.GetLength(0) != n || model.Correlation.GetLength(1) != n)
                throw new ArgumentException("Volatility and Correlation must match the number of assets.", nameof(model));
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var a = 0; a < n; a++)
            {
                if (model.Assets[a] is null || !index.TryAdd(model.Assets[a], a)) throw new ArgumentException($"Asset {a} is missing or repeated.", nameof(model));
                if (!(model.Volatility[a] >= 0) || !double.IsFinite(model.Volatility[a])) throw new ArgumentException($"Volatility of '{model.Assets[a]}' must be finite and not negative.", nameof(model));
                for (var b = 0; b < n; b++)
                {
                    var c = model.Correlation[a, b];
                    if (!(Math.Abs(c) <= 1) || Math.Abs(c - model.Correlation[b, a]) > 1e-9 || a == b && Math.Abs(c - 1) > 1e-9)
                        throw new ArgumentException("Correlation must be symmetric with a unit diagonal and entries in [−1, 1].", nameof(model));
                }
            }
            return index;
        }

        /// <summary>
        /// Lower Cholesky factor of the correlation of <paramref name="assets"/>. Semidefinite matrices (perfectly
        /// correlated assets) are accepted: a zero pivot gets a zero column.
        /// </summary>
        private static double[] Cholesky(double[,] correlation, int[] assets)
        {
            var n = assets.Length;
            var l = new double[n * n];
            for (var j = 0; j < n; j++)
            {
                var d = correlation[assets[j], assets[j]];
                for (var k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
                if (d < -1e-9) throw new ArgumentException("Correlation is not positive semidefinite.", nameof(correlation));
                var pivot = d > 1e-12 ? Math.Sqrt(d) : 0;
                l[j * n + j] = pivot;
                for (var i = j + 1; i < n; i++)
                {
                    var s = correlation[assets[i], assets[j]];
                    for (var k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                    if (pivot == 0 && Math.Abs(s) > 1e-6) throw new ArgumentException("Correlation is not positive semidefinite.", nameof(correlation));
                    l[i * n + j] = pivot == 0 ? 0 : s / pivot;
                }
            }
            return l;
        }
    }
}
