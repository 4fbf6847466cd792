namespace PerpGuard.Core.Clusters;

/// <summary>
/// Merged cohorts of one side, one slot per log-grid bin of the liquidation price, in a dense array sorted by bin.
/// Notionals are stored divided by a lazy side-wide <see cref="Scale"/>: true notional = stored × scale, so decay and
/// proportional closes are O(1). Each slot keeps stored-notional-weighted sums of liquidation price, entry time and
/// entry price; a partial removal scales all four sums alike, so the weighted means survive it.
/// Not thread-safe.
/// </summary>
internal sealed class CohortBook
{
    /// <summary>Below this the scale is folded into the stored values (avoids underflow and overflow of stored values).</summary>
    private const double RenormaliseBelow = 1e-64;

    /// <summary>A cohort smaller than this share of its side is dropped at renormalisation (counted as decayed).</summary>
    private const double PruneShare = 1e-18;

    private Cohort[] _slots = new Cohort[64];
    private int _base;      // bin index of slot 0
    private int _lo = 1, _hi;   // inclusive slot range of non-empty cohorts; _lo > _hi when empty
    private double _storedSum;

    /// <summary>The lazy factor: true notional = stored × scale.</summary>
    public double Scale { get; private set; } = 1;

    /// <summary>Number of non-empty merged cohorts.</summary>
    public int Count { get; private set; }

    /// <summary>True total notional of the side in USD (never negative).</summary>
    public double Total => Count == 0 ? 0 : Math.Max(0, _storedSum * Scale);

    /// <summary>Adds notional at a liquidation price in log bin <paramref name="bin"/>.</summary>
    public void Add(int bin, double usd, double liqPrice, double entryTime, double entryPrice)
    {
        if (!(usd > 0)) return;
        var slot = SlotFor(bin);
        var stored = usd / Scale;
        ref var c = ref _slots[slot];
        if (Count == 0) { _lo = slot; _hi = slot; }
        if (c.Stored == 0) Count++;
        c.Stored += stored;
        c.LiqSum += stored * liqPrice;
        c.TimeSum += stored * entryTime;
        c.EntrySum += stored * entryPrice;
        _storedSum += stored;
        if (slot < _lo) _lo = slot;
        if (slot > _hi) _hi = slot;
    }

    /// <summary>Removes every cohort whose liquidation price is ≥ <paramref name="threshold"/> (walks down from the top).</summary>
    /// <returns>The removed true notional.</returns>
    public double ConsumeFromTop(double threshold)
    {
        var removed = 0.0;
        while (_lo <= _hi)
        {
            ref var c = ref _slots[_hi];
            if (c.Stored == 0) { _hi--; continue; }
            if (!(c.LiqSum / c.Stored >= threshold)) break;
            removed += Clear(ref c);
            _hi--;
        }
        removed *= Scale; // before AfterRemoval, which resets the scale of an emptied side
        AfterRemoval();
        return removed;
    }

    /// <summary>Removes every cohort whose liquidation price is ≤ <paramref name="threshold"/> (walks up from the bottom).</summary>
    /// <returns>The removed true notional.</returns>
    public double ConsumeFromBottom(double threshold)
    {
        var removed = 0.0;
        while (_lo <= _hi)
        {
            ref var c = ref _slots[_lo];
            if (c.Stored == 0) { _lo++; continue; }
            if (!(c.LiqSum / c.Stored <= threshold)) break;
            removed += Clear(ref c);
            _lo++;
        }
        removed *= Scale;
        AfterRemoval();
        return removed;
    }

    /// <summary>Multiplies every cohort by <paramref name="factor"/> in (0, 1] in O(1).</summary>
    public void ScaleBy(double factor)
    {
        if (Count == 0) { Scale = 1; _storedSum = 0; return; }
        Scale *= factor;
    }

    /// <summary>Removes <paramref name="usd"/> of true notional proportionally from every cohort.</summary>
    /// <returns>The removed true notional (at most <see cref="Total"/>).</returns>
    public double RemoveProportional(double usd)
    {
        var total = Total;
        if (!(usd > 0) || total == 0) return 0;
        if (usd >= total) { ClearAll(); return total; }
        Scale *= 1 - usd / total;
        return usd;
    }

    /// <summary>
    /// Removes <paramref name="usd"/> of true notional starting from the bottom (long side: lowest liquidation price,
    /// furthest from price) or from the top (short side).
    /// </summary>
    /// <returns>The removed true notional (at most <see cref="Total"/>).</returns>
    public double RemoveFromEnd(double usd, bool fromBottom)
    {
        var total = Total;
        if (!(usd > 0) || total == 0) return 0;
        if (usd >= total) { ClearAll(); return total; }
        var left = usd / Scale; // in stored units
        var removed = 0.0;
        while (left > 0 && _lo <= _hi)
        {
            var slot = fromBottom ? _lo : _hi;
            ref var c = ref _slots[slot];
            if (c.Stored == 0)
            {
                if (fromBottom) _lo++; else _hi--;
                continue;
            }
            if (c.Stored <= left)
            {
                left -= c.Stored;
                removed += Clear(ref c);
                if (fromBottom) _lo++; else _hi--;
                continue;
            }
            var keep = 1 - left / c.Stored;
            c.LiqSum *= keep; c.TimeSum *= keep; c.EntrySum *= keep;
            c.Stored *= keep;
            removed += left;
            _storedSum -= left;
            left = 0;
        }
        removed *= Scale;
        AfterRemoval();
        return Math.Min(removed, total);
    }

    /// <summary>
    /// Folds the scale into the stored values when it gets tiny, pruning cohorts that have become negligible.
    /// </summary>
    /// <returns>The true notional pruned (to be reported as decay).</returns>
    public double RenormaliseIfNeeded()
    {
        if (Scale >= RenormaliseBelow || Count == 0) return 0;
        var scale = Scale;
        var floor = _storedSum * scale * PruneShare;
        var pruned = 0.0;
        var sum = 0.0;
        for (var i = _lo; i <= _hi; i++)
        {
            ref var c = ref _slots[i];
            if (c.Stored == 0) continue;
            var usd = c.Stored * scale;
            if (usd <= floor)
            {
                pruned += usd;
                c = default;
                Count--;
                continue;
            }
            c.Stored = usd; c.LiqSum *= scale; c.TimeSum *= scale; c.EntrySum *= scale;
            sum += usd;
        }
        Scale = 1;
        _storedSum = sum;
        AfterRemoval();
        return pruned;
    }

    /// <summary>The non-empty cohorts in ascending liquidation price, with true notionals.</summary>
    public IEnumerable<CohortView> Cohorts()
    {
        for (var i = _lo; i <= _hi; i++)
        {
            var c = _slots[i];
            if (c.Stored == 0) continue;
            yield return View(c);
        }
    }

    /// <summary>Copies the non-empty cohorts into <paramref name="target"/> in ascending liquidation price.</summary>
    public void CopyTo(List<CohortView> target)
    {
        for (var i = _lo; i <= _hi; i++)
        {
            var c = _slots[i];
            if (c.Stored != 0) target.Add(View(c));
        }
    }

    private CohortView View(in Cohort c) =>
        new(c.LiqSum / c.Stored, Math.Max(0, c.Stored * Scale), c.TimeSum / c.Stored, c.EntrySum / c.Stored);

    private double Clear(ref Cohort c)
    {
        var stored = c.Stored;
        c = default;
        Count--;
        _storedSum -= stored;
        return stored;
    }

    private void ClearAll()
    {
        if (Count > 0) Array.Clear(_slots, _lo, _hi - _lo + 1);
        Count = 0;
        _storedSum = 0;
        Scale = 1;
        _lo = 1; _hi = 0;
    }

    private void AfterRemoval()
    {
        if (Count == 0)
        {
            _storedSum = 0;
            Scale = 1;
            _lo = 1; _hi = 0;
            return;
        }
        while (_slots[_lo].Stored == 0) _lo++;
        while (_slots[_hi].Stored == 0) _hi--;
        if (_storedSum < 0) _storedSum = 0;
    }

    /// <summary>The slot of bin <paramref name="bin"/>, growing (and re-centring) the array when needed.</summary>
    private int SlotFor(int bin)
    {
        if (Count == 0) _base = bin - _slots.Length / 2; // empty: centre the array on this bin
        var slot = bin - _base;
        if ((uint)slot < (uint)_slots.Length) return slot;

        // Grow around the live range plus the new bin, with room on both sides.
        var liveLo = Count == 0 ? bin : Math.Min(_base + _lo, bin);
        var liveHi = Count == 0 ? bin : Math.Max(_base + _hi, bin);
        var span = liveHi - liveLo + 1;
        var size = Math.Max(_slots.Length * 2, span * 2 + 64);
        var next = new Cohort[size];
        var newBase = liveLo - (size - span) / 2;
        if (Count > 0) Array.Copy(_slots, _lo, next, _base + _lo - newBase, _hi - _lo + 1);
        if (Count > 0) { _lo += _base - newBase; _hi += _base - newBase; }
        _slots = next;
        _base = newBase;
        return bin - _base;
    }

    private struct Cohort
    {
        public double Stored;
        public double LiqSum;
        public double TimeSum;
        public double EntrySum;
    }
}

/// <summary>A merged cohort as seen from outside the book.</summary>
/// <param name="LiquidationPrice">Notional-weighted mean liquidation price of the merged cohorts.</param>
/// <param name="NotionalUsd">True notional in USD.</param>
/// <param name="EntryTime">Notional-weighted mean entry time, in seconds after the map's first bar closed.</param>
/// <param name="EntryPrice">Notional-weighted mean entry price.</param>
internal readonly record struct CohortView(double LiquidationPrice, double NotionalUsd, double EntryTime, double EntryPrice);
